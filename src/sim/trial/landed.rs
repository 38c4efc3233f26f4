//! Landed cost (DOMAIN December 2026 review; inventory costing as in IAS 2 / ASC 330):
//! what it cost to put a unit of stock on the shelf — the goods, the inbound freight and
//! placement, the import duty and the customs entry costs — belongs to the stock, not to
//! the day it was paid. It becomes cost of goods sold when a unit sells, at the moving
//! weighted average of the units held (on the shelf or on their way), and what is left at
//! the end is an asset (`closing_stock_value`), not a cost.

use std::ops::{Add, Sub};

/// A landed cost, split by what it paid for (so the P&L still shows freight under
/// logistics and duty under duties and taxes).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct LandedValue {
    /// The goods at factory cost.
    pub goods: f64,
    /// Inbound freight, other inbound costs and placement.
    pub freight: f64,
    /// Import duty and customs entry costs (broker, processing and harbour fees).
    pub customs: f64,
}

impl LandedValue {
    /// The whole cost.
    pub fn total(self) -> f64 {
        self.goods + self.freight + self.customs
    }

    fn scaled(self, by: f64) -> LandedValue {
        LandedValue {
            goods: self.goods * by,
            freight: self.freight * by,
            customs: self.customs * by,
        }
    }
}

impl Add for LandedValue {
    type Output = LandedValue;
    fn add(self, o: LandedValue) -> LandedValue {
        LandedValue {
            goods: self.goods + o.goods,
            freight: self.freight + o.freight,
            customs: self.customs + o.customs,
        }
    }
}

impl Sub for LandedValue {
    type Output = LandedValue;
    fn sub(self, o: LandedValue) -> LandedValue {
        LandedValue {
            goods: self.goods - o.goods,
            freight: self.freight - o.freight,
            customs: self.customs - o.customs,
        }
    }
}

/// The stock a variant holds, valued at landed cost.
#[derive(Debug, Default)]
pub(super) struct LandedStock {
    units: u64,
    value: LandedValue,
    /// The landed cost of one unit when stock was last held: what a resold return is put
    /// back at when the shelf is empty.
    last_unit: LandedValue,
}

impl LandedStock {
    /// Adds a batch of `units` that cost `value` in all.
    pub fn receive(&mut self, units: u64, value: LandedValue) {
        if units == 0 {
            return;
        }
        self.units += units;
        self.value = self.value + value;
        self.last_unit = self.value.scaled(1.0 / self.units as f64);
    }

    /// Takes `units` out at the moving average; returns their landed cost.
    pub fn issue(&mut self, units: u64) -> LandedValue {
        if units == 0 || self.units == 0 {
            return LandedValue::default();
        }
        let units = units.min(self.units);
        if units == self.units {
            // The last units take what is left, so nothing lingers from rounding.
            let all = self.value;
            self.units = 0;
            self.value = LandedValue::default();
            return all;
        }
        let out = self.last_unit.scaled(units as f64);
        self.units -= units;
        self.value = self.value - out;
        out
    }

    /// Puts `units` (resellable returns) back at the current average; returns their
    /// landed cost (a credit to the cost of goods sold).
    pub fn put_back(&mut self, units: u64) -> LandedValue {
        let value = self.last_unit.scaled(units as f64);
        self.receive(units, value);
        value
    }

    /// Writes the stock held down to `recovery` of its landed cost, and the cost a resold
    /// return is put back at with it; returns the loss. A delisted product's stock can no
    /// longer be sold on the platform: inventory is carried at the lower of cost and net
    /// realisable value (IAS 2 / ASC 330), and what it can still fetch elsewhere is a
    /// share of its cost.
    pub fn write_down(&mut self, recovery: f64) -> LandedValue {
        let kept = self.value.scaled(recovery);
        let loss = self.value - kept;
        self.value = kept;
        self.last_unit = self.last_unit.scaled(recovery);
        loss
    }

    /// The landed cost of every unit held.
    pub fn value(&self) -> f64 {
        self.value.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(goods: f64, freight: f64, customs: f64) -> LandedValue {
        LandedValue {
            goods,
            freight,
            customs,
        }
    }

    #[test]
    fn sales_take_the_moving_average_and_a_sell_out_takes_everything() {
        let mut s = LandedStock::default();
        s.receive(100, cost(500.0, 30.0, 50.0));
        // 40 units at 5.80 each.
        let sold = s.issue(40);
        assert!((sold.total() - 40.0 * 5.8).abs() < 1e-9);
        // A dearer batch moves the average: 60 left at 5.80 + 60 at 7.00 → 6.40.
        s.receive(60, cost(300.0, 60.0, 60.0));
        let sold = s.issue(30);
        assert!((sold.total() - 30.0 * 6.4).abs() < 1e-9, "{sold:?}");
        // Freight: 60 × 0.30 + 60 × 1.00 over 120 units.
        assert!((sold.freight - 30.0 * 0.65).abs() < 1e-9);
        // Selling out takes exactly what was paid in all.
        let rest = s.issue(1000);
        let paid = 580.0 + 420.0;
        assert!((40.0 * 5.8 + 30.0 * 6.4 + rest.total() - paid).abs() < 1e-9);
        assert_eq!(s.value(), 0.0);
    }

    #[test]
    fn unsold_units_keep_their_cost_and_returns_go_back_at_the_average() {
        let mut s = LandedStock::default();
        s.receive(10, cost(50.0, 10.0, 5.0));
        s.issue(10);
        // Nothing held: a resold return goes back at the last unit cost.
        let back = s.put_back(2);
        assert!((back.total() - 13.0).abs() < 1e-12);
        assert!((s.value() - 13.0).abs() < 1e-12);
        s.receive(8, cost(40.0, 8.0, 4.0));
        assert!((s.value() - 65.0).abs() < 1e-12);
    }

    #[test]
    fn a_write_down_keeps_the_recovered_share_and_returns_go_back_at_it() {
        let mut s = LandedStock::default();
        s.receive(100, cost(500.0, 30.0, 50.0));
        s.issue(40);
        // 60 units at 5.80 written down to 30%: 1.74 each kept, 4.06 each lost.
        let loss = s.write_down(0.3);
        assert!((loss.total() - 60.0 * 4.06).abs() < 1e-9, "{loss:?}");
        assert!((loss.freight - 60.0 * 0.3 * 0.7).abs() < 1e-9);
        assert!((s.value() - 60.0 * 1.74).abs() < 1e-9);
        // A resold return goes back at the written-down cost, and selling out takes
        // exactly what is left.
        let back = s.put_back(5);
        assert!((back.total() - 5.0 * 1.74).abs() < 1e-9);
        assert!((s.issue(65).total() - 65.0 * 1.74).abs() < 1e-9);
        assert_eq!(s.value(), 0.0);
        // Nothing held: the last unit cost is written down all the same.
        let mut empty = LandedStock::default();
        empty.receive(2, cost(10.0, 0.0, 0.0));
        empty.issue(2);
        assert_eq!(empty.write_down(0.5).total(), 0.0);
        assert!((empty.put_back(1).total() - 2.5).abs() < 1e-12);
    }
}

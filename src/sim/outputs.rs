//! What one trial produces: a value of every [`Metric`].

pub use crate::metric::{Better, Metric, Unit, METRIC_COUNT};

/// One trial's outputs, indexed by [`Metric`]. `NaN` marks an undefined value (margin
/// with zero net revenue, break-even day of a trial that never breaks even, ...).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outputs(pub [f64; METRIC_COUNT]);

impl Outputs {
    /// The value of one metric.
    pub fn get(&self, m: Metric) -> f64 {
        self.0[m as usize]
    }
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs([f64::NAN; METRIC_COUNT])
    }
}

impl std::ops::Index<Metric> for Outputs {
    type Output = f64;
    fn index(&self, m: Metric) -> &f64 {
        &self.0[m as usize]
    }
}

impl std::ops::IndexMut<Metric> for Outputs {
    fn index_mut(&mut self, m: Metric) -> &mut f64 {
        &mut self.0[m as usize]
    }
}

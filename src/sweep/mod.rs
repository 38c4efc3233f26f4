//! Sweeps: the study at every point of a grid CSV and `--range` steps, on the point
//! engine ([`crate::points`]), with tables and charts of each output against the inputs.

pub mod charts;
pub mod grid;
pub mod page;
pub mod record;
pub mod tables;

/// Its result folder, `<study>-sweep`: `sweep.json` (written last) names the study.
pub const FOLDER: crate::output::FolderKind = crate::output::FolderKind::analysis(
    "sweep",
    "-sweep",
    "sweep.json",
    "a sweep",
    &[
        "sweep.csv",
        "sweep_pairs.csv",
        "charts",
        "report.html",
        "sweep.json",
    ],
);

#[cfg(test)]
mod tests {
    use super::grid;
    use crate::params::P;
    use crate::points::point::Point;
    use crate::points::*;
    use crate::scenario::{self, Scenario};
    use crate::sim::DrawMethod;
    use crate::sim::Metric;

    const STUDY: &str = r#"name = "sweep_demo"
trials = 300
horizon_days = 40
seed = 5
[base]
market = "us"
category = "beauty"
[[variant]]
name = "managed"
model = "fully_managed"
[[variant]]
name = "self"
model = "self_operated"
route = "fbt"
"#;

    fn base_scenario() -> Scenario {
        scenario::parse(STUDY, "demo.toml", None).unwrap()
    }

    fn run(points: Vec<Point>, variants: &[String], threads: usize) -> Vec<PointResult> {
        let s = base_scenario();
        let base = Base {
            scenario: &s,
            csv: None,
            variants,
            trials: None,
            seed: None,
        };
        let prepared = prepare(&base, points).unwrap();
        run_points(&prepared, DrawMethod::PerDay, threads, &|| {}).unwrap()
    }

    fn mean_profit(r: &PointResult, v: usize) -> f64 {
        r.analysis.variants[v].mean(Metric::Profit)
    }

    #[test]
    fn a_daily_cost_enters_profit_linearly_on_common_random_numbers() {
        // Tools are paid every day whatever happens: profit falls by exactly the extra
        // cost times the horizon, trial by trial, so the mean response is linear with the
        // closed-form slope -40 (no Monte Carlo error: the points are paired).
        let range: grid::Range = "tools.cost_per_day=0:30:4".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let results = run(points, &[], 2);
        for v in 0..2 {
            let means: Vec<f64> = results.iter().map(|r| mean_profit(r, v)).collect();
            for w in means.windows(2) {
                let slope = (w[1] - w[0]) / 10.0;
                assert!(
                    (slope + 40.0).abs() < 1e-6,
                    "variant {v}: slope {slope}, expected -40"
                );
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_threads_and_keep_point_order() {
        let range: grid::Range = "price.retail=14:30:3".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let one = run(points.clone(), &[], 1);
        let two = run(points.clone(), &[], 2);
        let four = run(points, &[], 4);
        // Compared as printed: f64's Debug is exact (it round-trips), and a statistic of
        // a single trial is NaN (no spread), which `==` never finds equal to itself.
        let printed = |r: &PointResult| format!("{:?}", r.analysis);
        for ((a, b), c) in one.iter().zip(&two).zip(&four) {
            assert_eq!(printed(a), printed(b));
            assert_eq!(printed(a), printed(c));
        }
        // The price rises along the points: self-operated revenue per order with it.
        let gmv_per_order = |r: &PointResult| {
            let v = &r.analysis.variants[1];
            v.mean(Metric::Gmv) / v.mean(Metric::Orders)
        };
        assert!(gmv_per_order(&one[0]) < gmv_per_order(&one[1]));
        assert!(gmv_per_order(&one[1]) < gmv_per_order(&one[2]));
    }

    #[test]
    fn a_point_on_one_variant_leaves_the_other_exactly_as_it_was() {
        let text = "name,variant,price.retail\nbase,,\ncheap_self,self,12\n";
        let points = grid::parse_grid(text, "g.csv").unwrap();
        let r = run(points, &[], 2);
        // The managed variant is the same trial by trial (same seeds, same values): its
        // metrics, not its chance of being best, which depends on the other variant.
        // Compared as printed, so a summary of one trial (standard error NaN) is equal
        // to itself.
        let metrics = |p: &PointResult| format!("{:?}", p.analysis.variants[0].metrics);
        assert_eq!(metrics(&r[0]), metrics(&r[1]));
        assert_ne!(mean_profit(&r[0], 1), mean_profit(&r[1], 1));
    }

    #[test]
    fn a_kept_variant_gives_what_it_gives_among_all() {
        let range: grid::Range = "price.retail=16:20:2".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let all = run(points.clone(), &[], 2);
        let only_self = run(points, &["self".to_string()], 2);
        for (a, s) in all.iter().zip(&only_self) {
            assert_eq!(s.analysis.variants.len(), 1);
            // Compared as printed, so a summary of one trial (standard error NaN) is
            // equal to itself.
            assert_eq!(
                format!("{:?}", a.analysis.variants[1].metrics),
                format!("{:?}", s.analysis.variants[0].metrics)
            );
        }
    }

    #[test]
    fn unknown_variants_are_named_with_a_suggestion() {
        let s = base_scenario();
        let points = grid::parse_grid("variant,price.retail\nslef,12\n", "g.csv").unwrap();
        let base = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: None,
            seed: None,
        };
        let e = prepare(&base, points).unwrap_err().to_string();
        assert!(e.contains("g.csv:2: sweep point 1"), "{e}");
        assert!(
            e.contains("no variant `slef` (did you mean `self`?)"),
            "{e}"
        );
    }

    #[test]
    fn a_value_the_left_out_variants_cannot_take_does_not_stop_the_sweep() {
        // The self-operated variant's reorder point of 800 is above 500, so a point at 500
        // for every variant fails its check; managed's default reorder point is lower.
        // Running only `managed`, the point sets `managed` only.
        let text = STUDY.replace(
            "route = \"fbt\"\n",
            "route = \"fbt\"\ninventory.reorder_point = 800\ninventory.order_up_to = 900\n",
        );
        let s = scenario::parse(&text, "demo.toml", None).unwrap();
        let managed_reorder = s.spec().variants()[0]
            .params()
            .get(P::ReorderPoint)
            .dist
            .mean();
        assert!(managed_reorder <= 500.0, "{managed_reorder}");
        let range: grid::Range = "inventory.order_up_to=500:900:2".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let all = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: None,
            seed: None,
        };
        assert!(prepare(&all, points.clone()).is_err());
        let managed = ["managed".to_string()];
        let only = Base {
            variants: &managed,
            ..all
        };
        let prepared = prepare(&only, points).unwrap();
        assert_eq!(prepared[0].scenario.spec().variants().len(), 1);
    }
}

//! The simulation core: pure functions from validated inputs to trial outputs. No files,
//! no printing, no command-line types.

pub mod correlate;
pub mod delay;
pub mod inputs;
pub mod outputs;
pub mod rng;
pub mod spec;
pub mod study;
pub mod trial;
pub mod worlds;

pub use outputs::{Better, Metric, Outputs, Unit, METRIC_COUNT};
pub use spec::{CampaignTerm, EventFactor, EventSpec, SpecError, StudySpec, VariantSpec};
/// The most trials a study runs: a billion (sketch buckets count in `u32`, and a billion
/// trials of a 4-variant, 365-day study is about two days of this machine's time).
pub const MAX_TRIALS: u64 = 1_000_000_000;

pub use study::{BatchOutputs, StudyResults, VariantBatch, VariantResults};
pub use trial::DrawMethod;
pub use worlds::{Cell, World, Worlds};

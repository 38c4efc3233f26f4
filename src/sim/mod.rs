//! The simulation core: pure functions from validated inputs to trial outputs. No files,
//! no printing, no command-line types.

pub mod delay;
pub mod inputs;
pub mod outputs;
pub mod rng;
pub mod spec;
pub mod study;
pub mod trial;

pub use outputs::{Better, Metric, Outputs, Unit, METRIC_COUNT};
pub use spec::{CampaignTerm, EventFactor, EventSpec, SpecError, StudySpec, VariantSpec};
pub use study::{BatchOutputs, StudyResults, VariantBatch, VariantResults};
pub use trial::DrawMethod;

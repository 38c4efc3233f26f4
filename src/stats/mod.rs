//! Statistics over trials: pure functions, no files. [`analyze`] computes every figure of a
//! study once; the other modules are its parts.

pub mod accumulate;
pub mod analysis;
pub mod compare;
pub mod daily;
pub mod estimate;
pub mod exact_sum;
pub mod rank;
pub mod replicates;
pub mod sketch;
pub mod summary;
pub mod worlds;

pub use accumulate::StudyAccumulator;
pub use analysis::{analyze, StudyAnalysis, VariantAnalysis};
pub use compare::{paired, Paired};
pub use estimate::{mean_sd, t_975, Estimate, Z_975};
pub use summary::{cvar, summarize, Proportion, Summary};

//! Statistics over trials: pure functions, no files. [`analyze`] computes every figure of a
//! study once; the other modules are its parts.

pub mod analysis;
pub mod compare;
pub mod daily;
pub mod estimate;
pub mod exact_sum;
pub mod sketch;
pub mod summary;

pub use analysis::{analyze, column, StudyAnalysis, VariantAnalysis};
pub use compare::{p_best, paired, Paired};
pub use estimate::{mean_sd, t_975, Estimate, Z_975};
pub use summary::{cvar, p_loss, summarize, Proportion, Summary};

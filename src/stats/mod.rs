//! Statistics over trials: pure functions, no files.

pub mod compare;
pub mod daily;
pub mod summary;

pub use compare::{p_best, paired, Paired};
pub use summary::{cvar, p_loss, summarize, Proportion, Summary};

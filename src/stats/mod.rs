//! Statistics over trials: pure functions, no files.

pub mod compare;
pub mod daily;
pub mod summary;

pub use compare::{paired, Paired};
pub use summary::{cvar, p_loss, summarize, Proportion, Summary};

//! The error kind that means "your input is wrong" (exit code 2), as opposed to a failure
//! of the program or the machine (exit code 1).

/// Bad input: the message names the file, line and key, and says how to fix it. Several
/// problems found in one file are reported together, one per line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

impl InputError {
    pub fn new(message: impl Into<String>) -> InputError {
        InputError(message.into())
    }

    /// Joins several problems into one error (`None` when there are none).
    pub fn from_list(problems: Vec<String>) -> Option<InputError> {
        (!problems.is_empty()).then(|| InputError(problems.join("\n")))
    }
}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

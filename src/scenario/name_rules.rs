//! What a name from a file may hold. Study, variant, event and grid-point names are data:
//! some of them end up in file names (a study names its folder, a variant its sensitivity
//! charts), so none may hold what a path understands — a separator, `..`, a device name —
//! and none may hold control characters (a terminal escape in a name would be printed).
//! One rule for every name, so `check` refuses what any command would refuse.

use super::MAX_NAME_CHARS;

/// Windows' reserved device names: a file called `con.png` or `NUL` cannot be created
/// there, so a result folder holding one could not be copied to a Windows machine.
const DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why `name` cannot be a study, variant, event or grid-point name, or `None` when it can.
pub fn why_not_a_name(name: &str) -> Option<String> {
    why_not_text(name).or_else(|| why_not_a_file_name(name))
}

/// Why `name` cannot be a study's name (it names the output folder, so only plain
/// characters), or `None` when it can.
pub fn why_not_a_study_name(name: &str) -> Option<String> {
    why_not_text(name)
        .or_else(|| {
            (name.starts_with('.')
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .then(|| {
                "a study names its output folder: use letters, digits, `_`, `-` or `.` (not first)"
                    .to_string()
            })
        })
        .or_else(|| why_not_a_file_name(name))
}

/// Empty, too long, or with control characters.
fn why_not_text(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("it is empty".to_string())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some(format!(
            "it has {} characters; at most {MAX_NAME_CHARS} are allowed",
            name.chars().count()
        ))
    } else if name.len() > MAX_NAME_BYTES {
        Some(format!(
            "it takes {} bytes in UTF-8; at most {MAX_NAME_BYTES} are allowed (a file name holds 255, and chart names add a prefix)",
            name.len()
        ))
    } else if name.chars().any(char::is_control) {
        Some("it holds control characters (such as NUL or a terminal escape)".to_string())
    } else if name.chars().any(invisible) {
        Some(
            "it holds an invisible or direction-changing character (zero-width space, soft hyphen, right-to-left override…): two names that look the same would be different"
                .to_string(),
        )
    } else {
        None
    }
}

/// Most bytes a name takes: it becomes part of a file name (255 bytes on most file
/// systems) after a prefix such as `tornado_` and an extension.
const MAX_NAME_BYTES: usize = 200;

/// Format characters that do not show: zero-width ones, the soft hyphen, and the marks
/// that reorder text on a terminal (a right-to-left override can make a name read as
/// another).
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// What a path would read as something else: a separator, `..`, a device name.
fn why_not_a_file_name(name: &str) -> Option<String> {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if name.contains(['/', '\\']) {
        Some(
            "it holds `/` or `\\`: names become file names, and a separator would put files in other folders"
                .to_string(),
        )
    } else if name.contains("..") {
        Some("it holds `..`: names become file names, and `..` means the folder above".to_string())
    } else if DEVICE_NAMES.contains(&stem.to_ascii_lowercase().as_str()) {
        Some(format!(
            "`{stem}` is a device name on Windows: a file of that name cannot be created there"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_a_path_would_understand_are_refused() {
        for bad in [
            "",
            "../../victim",
            "a/b",
            "a\\b",
            "..",
            "x..y",
            "con",
            "NUL",
            "Com1.png",
            "lpt9",
            "a\u{1b}[31m",
            "tab\there",
            "x\u{200b}",
            "a\u{00ad}b",
            "\u{202e}live",
        ] {
            assert!(why_not_a_name(bad).is_some(), "{bad:?} accepted");
        }
        assert!(why_not_a_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_some());
        // 100 characters of three bytes each would not fit a file name with its prefix.
        assert!(why_not_a_name(&"漢".repeat(MAX_NAME_CHARS)).is_some());
        assert_eq!(why_not_a_name(&"漢".repeat(60)), None);
    }

    #[test]
    fn ordinary_names_pass() {
        for good in [
            "self_fbt",
            "FBT (US) - 25% duty",
            "price.retail=18 fees.commission_rate=0.06",
            "console",
            "com10",
            ".hidden",
            "早期",
        ] {
            assert_eq!(why_not_a_name(good), None, "{good:?} refused");
        }
        assert!(why_not_a_study_name(".hidden").is_some());
        assert!(why_not_a_study_name("with space").is_some());
        assert_eq!(why_not_a_study_name("us_beauty-2026.v2"), None);
    }
}

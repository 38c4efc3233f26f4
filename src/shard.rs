//! Scale-out: `shopsim run --shard K/N` runs one share of a study's trial batches and
//! writes a part folder; `shopsim merge` puts the parts back together into the study a
//! single run would have written.
//!
//! A part holds its trials' streaming accumulators ([`StudyAccumulator`]: exact sums,
//! counts and sketches, whose merge does not depend on order) in `accumulators.json`,
//! with `--write-trials` its rows of `trials.csv`, and in `part.json` what it is: the
//! study, the scenario's and the parameter CSV's text, the seed, the trial count, which
//! shard and which trials, and the size and SHA-256 of each data file. The shards split
//! the study's batches (of [`BATCH_SIZE`] trials, seeded by trial index) into contiguous
//! blocks, so the merged accumulators are the single run's, bit for bit, and the tables
//! are byte-identical.
//!
//! The merge trusts nothing it has not checked: each data file against its digest (a file
//! cut short, edited or copied in from another run), each `part.json` against itself and
//! its scenario text, the parts against each other, and the data against the record
//! (days, trials, variants, the rows of `trials.csv`). Any disagreement is refused with
//! the part folder, what disagrees and which shard to rerun.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{InputError, Kind, Problem};
use crate::formats::record::FORMAT_VERSION;
pub use crate::formats::record::{FileDigest, PartRecord};
use crate::sim::study::BATCH_SIZE;
use crate::stats::accumulate::StudyAccumulator;

/// The part's accumulators.
pub const PART_DATA: &str = "accumulators.json";

/// The part's rows of the study's `trials.csv` (written with `--write-trials`).
pub const PART_TRIALS: &str = "trials.csv";

/// Which share of a study: shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1 to `count`.
    pub index: u64,
    /// How many shards the study is split into.
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write K/N with 1 <= K <= N (e.g. 2/8)");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The trials of this shard for a study of `trials` trials: `(first, count)`, a
    /// contiguous block of whole batches. `None` when there are more shards than batches.
    pub fn trials(&self, trials: u64) -> Option<(u64, u64)> {
        let batches = trials.div_ceil(BATCH_SIZE);
        if self.count > batches {
            return None;
        }
        let first_batch = (self.index - 1) * batches / self.count;
        let end_batch = self.index * batches / self.count;
        let first = first_batch * BATCH_SIZE;
        let end = (end_batch * BATCH_SIZE).min(trials);
        Some((first, end - first))
    }

    /// The part folder's name for study `name`.
    pub fn folder_name(&self, name: &str) -> String {
        format!("{name}.shard-{}-of-{}", self.index, self.count)
    }
}

/// The size and SHA-256 of `bytes`.
pub fn digest_bytes(bytes: &[u8]) -> FileDigest {
    FileDigest {
        bytes: bytes.len() as u64,
        sha256: hex(&Sha256::digest(bytes)),
    }
}

/// The size and SHA-256 of what `reader` holds, read a block at a time (a `trials.csv`
/// can be larger than memory).
pub fn digest_reader(mut reader: impl Read) -> std::io::Result<FileDigest> {
    let mut hasher = Sha256::new();
    let mut block = vec![0; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = match reader.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&block[..n]);
        bytes += n as u64;
    }
    Ok(FileDigest {
        bytes,
        sha256: hex(&hasher.finalize()),
    })
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A part's accumulators as bytes (JSON; floats that may be infinite as their bits).
pub fn encode(results: &StudyAccumulator) -> Vec<u8> {
    serde_json::to_vec(results).expect("accumulators always serialise")
}

/// Reads [`encode`]'s bytes back, when they are the accumulators of `trials` trials of
/// `variants` variants over `horizon` days comparing `pairs` (see
/// [`StudyAccumulator::fits`]); otherwise what they hold instead, to follow the file's
/// name in a message.
pub fn decode(
    bytes: &[u8],
    trials: u64,
    variants: usize,
    horizon: usize,
    pairs: &[(usize, usize)],
) -> Result<StudyAccumulator, Mismatch> {
    let acc: StudyAccumulator = serde_json::from_slice(bytes).map_err(|_| Mismatch::Unreadable)?;
    let kept: Vec<(usize, usize)> = acc.pairs.iter().map(|p| (p.a, p.b)).collect();
    if acc.trials != trials {
        Err(Mismatch::Trials {
            held: acc.trials,
            recorded: trials,
        })
    } else if acc.horizon != horizon {
        Err(Mismatch::Days {
            held: acc.horizon,
            recorded: horizon,
        })
    } else if acc.variants.len() != variants {
        Err(Mismatch::Variants {
            held: acc.variants.len(),
            recorded: variants,
        })
    } else if kept != pairs {
        Err(Mismatch::Pairs)
    } else if !acc.fits(variants, horizon, pairs) {
        Err(Mismatch::Shape)
    } else {
        Ok(acc)
    }
}

/// How a part's accumulators differ from what its `part.json` describes; it reads as
/// the end of a message that starts with the file's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Mismatch {
    /// Not JSON of the accumulators' type (a file cut short, or another program's).
    #[error("is not a part's accumulators (cut short, or not shopsim's)")]
    Unreadable,
    /// Another number of trials.
    #[error("holds {held} trials where part.json says {recorded}")]
    Trials {
        /// In the file.
        held: u64,
        /// In `part.json`.
        recorded: u64,
    },
    /// Another number of days.
    #[error("holds {held} days where part.json says {recorded}")]
    Days {
        /// In the file.
        held: usize,
        /// In `part.json`.
        recorded: usize,
    },
    /// Another number of variants.
    #[error("holds {held} variants where part.json lists {recorded}")]
    Variants {
        /// In the file.
        held: usize,
        /// In `part.json`.
        recorded: usize,
    },
    /// Other pairs of variants compared.
    #[error("compares other pairs of variants than the scenario's")]
    Pairs,
    /// Sketches or sums of another size than this shopsim writes.
    #[error("does not have the shape of this shopsim's accumulators")]
    Shape,
    /// Means sampled otherwise than part.json says (Latin hypercube blocks kept or not).
    #[error("holds means of another sampling method than part.json's")]
    Sampling,
}

/// A part folder read back.
pub struct Part {
    /// Its `part.json`.
    pub record: PartRecord,
    /// Its folder.
    pub dir: PathBuf,
    /// Its `trials.csv`, when it was run with `--write-trials`.
    pub trials_csv: Option<PathBuf>,
}

fn problem(dir: &Path, message: String) -> Problem {
    Problem::general(
        Kind::Conflict,
        format!("{}: {message}", crate::error::printable_path(dir)),
    )
}

/// How to fix a part: "rerun shard K/N".
fn rerun(r: &PartRecord) -> String {
    format!("rerun shard {}/{}", r.shard, r.shards)
}

/// Reads a part folder and checks its `part.json` against itself and the files beside
/// it.
pub fn read(dir: &Path) -> Result<Part, InputError> {
    let one = |message: String| InputError::one(problem(dir, message));
    let marker = dir.join(crate::output::SHARD_MARKER);
    let text = std::fs::read_to_string(&marker).map_err(|_| {
        one("is not a shopsim shard folder (it has no part.json); shards are written by `shopsim run --shard K/N`".to_string())
    })?;
    let not_a_record = || one("part.json is not a shopsim shard record".to_string());
    let value: serde_json::Value = serde_json::from_str(&text)
        .ok()
        .filter(|v: &serde_json::Value| v["program"] == "shopsim" && v["kind"] == "shard")
        .ok_or_else(not_a_record)?;
    // Before the record's fields: an older part lacks some.
    let format = value["format_version"].as_u64().unwrap_or(0);
    if format != u64::from(FORMAT_VERSION) {
        let by = value["version"]
            .as_str()
            .map_or("another shopsim".to_string(), |v| format!("shopsim {v}"));
        return Err(one(if format < u64::from(FORMAT_VERSION) {
            format!(
                "the part is of format {format} (written by {by}); this shopsim merges only parts of its own format, {FORMAT_VERSION}: an older part holds other outputs, or no digests of its files (before format 8); rerun the shards with this version"
            )
        } else {
            format!(
                "the part was written by {by} in format {format}, newer than this shopsim's ({FORMAT_VERSION}): merge with that version, or rerun the shards with this one"
            )
        }));
    }
    // The merged study is written with this binary's parameters and record: parts another
    // build simulated (a default may have moved between two commits of one version and
    // format) would be labelled as this build's.
    let build = value["build"].as_str();
    if build != Some(crate::BUILD) {
        let by = build.map_or(
            "a build that did not record itself (before December 2026)".to_string(),
            |b| format!("build {b}"),
        );
        return Err(one(format!(
            "the part was written by {by}, and this shopsim is build {}: merge with the binary that ran the shards, or rerun them with this one",
            crate::BUILD
        )));
    }
    // Read from the text, serde says what is wrong and where ("invalid type: integer `1`,
    // expected a string at line 12 column 15").
    let record: PartRecord = serde_json::from_str(&text).map_err(|e| {
        one(format!(
            "part.json is not a shopsim shard record: {e}; it was edited or damaged: rerun the shard"
        ))
    })?;
    let mut problems = check_record(dir, &record);
    let listed = |name: &str| record.files.contains_key(name);
    if listed(PART_DATA) && !dir.join(PART_DATA).is_file() {
        problems.push(problem(
            dir,
            format!("{PART_DATA} is missing; {}", rerun(&record)),
        ));
    }
    let trials_csv = dir.join(PART_TRIALS);
    match (listed(PART_TRIALS), trials_csv.is_file()) {
        (true, false) => problems.push(problem(
            dir,
            format!(
                "{PART_TRIALS} is missing (part.json lists it: the shard was run with --write-trials); {}",
                rerun(&record)
            ),
        )),
        (false, true) => problems.push(problem(
            dir,
            format!(
                "holds a {PART_TRIALS} that part.json does not list (the shard was run without --write-trials): it comes from another run; remove it, or {} with --write-trials",
                rerun(&record)
            ),
        )),
        _ => {}
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e);
    }
    Ok(Part {
        trials_csv: listed(PART_TRIALS).then_some(trials_csv),
        record,
        dir: dir.to_path_buf(),
    })
}

/// What is wrong with a `part.json` on its own: a shard that is not one of its count,
/// trials that are not its share, an unknown draw method, files it does not write.
fn check_record(dir: &Path, r: &PartRecord) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut bad = |message: String| problems.push(problem(dir, message));
    let edited = "part.json was edited or mixes two runs";
    if !(1..=crate::sim::MAX_TRIALS).contains(&r.trials) {
        // Before the share is worked out from it (its arithmetic assumes a real count).
        bad(format!(
            "part.json says the study has {} trials; a study has 1 to {}: {edited}; {}",
            r.trials,
            crate::sim::MAX_TRIALS,
            rerun(r)
        ));
    } else if r.shard == 0 || r.shard > r.shards {
        bad(format!(
            "part.json says shard {} of {}, which is not a shard of that count: {edited}; rerun the shard",
            r.shard, r.shards
        ));
    } else {
        let share = Shard {
            index: r.shard,
            count: r.shards,
        }
        .trials(r.trials);
        if share != Some((r.first_trial, r.trial_count)) {
            let should = match share {
                Some((first, count)) => format!("trials {first}..{}", first + count),
                None => "not a share: there are fewer batches than shards".to_string(),
            };
            bad(format!(
                "part.json says shard {}/{} holds trials {}..{}, but shard {}/{} of {} trials is {should}: {edited}; {}",
                r.shard,
                r.shards,
                r.first_trial,
                r.first_trial.saturating_add(r.trial_count),
                r.shard,
                r.shards,
                r.trials,
                rerun(r)
            ));
        }
    }
    if crate::sim::inputs::Sampling::parse(&r.sampling).is_none() {
        bad(format!(
            "part.json's sampling `{}` is neither lhs nor mc: {edited}; {}",
            r.sampling,
            rerun(r)
        ));
    }
    if !matches!(r.draw_method.as_str(), "per-day" | "per-bin") {
        bad(format!(
            "part.json's draw method `{}` is neither per-day nor per-bin: {edited}; {}",
            r.draw_method,
            rerun(r)
        ));
    }
    let unknown: Vec<&str> = r
        .files
        .keys()
        .map(String::as_str)
        .filter(|f| ![PART_DATA, PART_TRIALS].contains(f))
        .collect();
    if !r.files.contains_key(PART_DATA) || !unknown.is_empty() {
        bad(format!(
            "part.json lists the files {} where a shard writes {PART_DATA} (and {PART_TRIALS} with --write-trials): {edited}; {}",
            quoted(r.files.keys()),
            rerun(r)
        ));
    }
    problems
}

/// `a`, `b` (or "none").
fn quoted<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let list: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

impl Part {
    /// Reads the part's accumulators (one part at a time: a merge holds one part and the
    /// running total, not every part), after checking the file against its digest; they
    /// must compare `pairs`, the scenario's.
    pub fn accumulators(&self, pairs: &[(usize, usize)]) -> Result<StudyAccumulator, InputError> {
        let (dir, r) = (&self.dir, &self.record);
        let bytes = std::fs::read(dir.join(PART_DATA))
            .map_err(|e| InputError::one(problem(dir, format!("cannot read {PART_DATA}: {e}"))))?;
        if let Some(recorded) = r.files.get(PART_DATA) {
            let found = digest_bytes(&bytes);
            if found != *recorded {
                return Err(InputError::one(self.damaged(PART_DATA, &found, recorded)));
            }
        }
        decode(
            &bytes,
            r.trial_count,
            r.variants.len(),
            r.horizon_days,
            pairs,
        )
        .and_then(|acc| {
            let recorded = crate::sim::inputs::Sampling::parse(&r.sampling);
            match acc.sampling() {
                held if held == recorded => Ok(acc),
                _ => Err(Mismatch::Sampling),
            }
        })
        .map_err(|why| {
            InputError::one(problem(
                dir,
                format!(
                    "{PART_DATA} {why}: it does not hold the trials part.json describes (part.json was edited or mixes two runs); {}",
                    rerun(r)
                ),
            ))
        })
    }

    /// A data file that is not the one the shard wrote.
    fn damaged(&self, file: &str, found: &FileDigest, recorded: &FileDigest) -> Problem {
        let how = if found.bytes != recorded.bytes {
            format!(
                "it has {} bytes where part.json records {}",
                found.bytes, recorded.bytes
            )
        } else {
            "its SHA-256 is not the one part.json records".to_string()
        };
        problem(
            &self.dir,
            format!(
                "{file} is not the file shard {}/{} wrote ({how}): it was cut short, edited or copied in from another run; {}",
                self.record.shard,
                self.record.shards,
                rerun(&self.record)
            ),
        )
    }

    /// Copies the part's `trials.csv` to `out` (its header line too when `with_header`),
    /// checking on the way, in one pass (the file can be larger than memory), that it is
    /// the file the shard wrote (its size and SHA-256 are those part.json records) and
    /// holds the rows part.json describes: each of the part's trials in order, each with
    /// the study's variants in order. `Ok(Some(problem))`: it is not (what was copied is
    /// then of no use); `Err`: writing to `out` failed. A part without `trials.csv`
    /// copies nothing.
    pub fn copy_trials(
        &self,
        out: &mut dyn Write,
        with_header: bool,
    ) -> std::io::Result<Option<Problem>> {
        let Some(path) = &self.trials_csv else {
            return Ok(None);
        };
        let unreadable = |e: std::io::Error| {
            Some(Problem::general(
                Kind::Unreadable,
                format!(
                    "{}: cannot read {PART_TRIALS}: {e}",
                    crate::error::printable_path(&self.dir)
                ),
            ))
        };
        let mut reader = match std::fs::File::open(path) {
            Ok(f) => std::io::BufReader::with_capacity(1 << 20, f),
            Err(e) => return Ok(unreadable(e)),
        };
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        let mut rows = RowCheck::new(&self.record);
        loop {
            let chunk = match reader.fill_buf() {
                Ok([]) => break,
                Ok(chunk) => chunk,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Ok(unreadable(e)),
            };
            hasher.update(chunk);
            bytes += chunk.len() as u64;
            let header_end = rows.feed(chunk);
            out.write_all(&chunk[if with_header { 0 } else { header_end }..])?;
            let n = chunk.len();
            reader.consume(n);
        }
        let found = FileDigest {
            bytes,
            sha256: hex(&hasher.finalize()),
        };
        let recorded = self.record.files.get(PART_TRIALS);
        if let Some(recorded) = recorded.filter(|r| **r != found) {
            return Ok(Some(self.damaged(PART_TRIALS, &found, recorded)));
        }
        Ok(rows.finish().map(|why| {
            problem(
                &self.dir,
                format!(
                    "{PART_TRIALS} {why}: it does not hold the trials part.json describes; {}",
                    rerun(&self.record)
                ),
            )
        }))
    }
}

/// The longest line of `trials.csv` looked at: a row is a name and a few dozen numbers.
const MAX_LINE: usize = 1 << 16;

/// Checks the lines of a part's `trials.csv` as they stream past: the header this
/// shopsim writes, then row `i` (from 0) is trial `first + i / V` of variant `i % V`.
struct RowCheck {
    /// The header line as written (without its line break).
    header: Vec<u8>,
    /// Each variant's name as written, and the comma after it.
    prefixes: Vec<Vec<u8>>,
    names: Vec<String>,
    first: u64,
    count: u64,
    /// The line being read (up to [`MAX_LINE`] bytes) and whether it was longer.
    line: Vec<u8>,
    too_long: bool,
    /// Whole lines seen.
    lines: u64,
    /// What is wrong with the first line that is not what it should be.
    wrong: Option<String>,
}

/// `fields` as one line of CSV, as the trials writer writes them (without the line
/// break).
fn csv_line<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(fields);
    let mut bytes = writer.into_inner().unwrap_or_default();
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    bytes
}

impl RowCheck {
    fn new(r: &PartRecord) -> RowCheck {
        let header = crate::formats::rows::trials_header();
        RowCheck {
            header: csv_line(header.iter().copied()),
            // The name and an empty second field: `name,` (quoted as the writer quotes).
            prefixes: r
                .variants
                .iter()
                .map(|v| csv_line([v.as_str(), ""]))
                .collect(),
            names: r.variants.clone(),
            first: r.first_trial,
            count: r.trial_count,
            line: Vec::new(),
            too_long: false,
            lines: 0,
            wrong: None,
        }
    }

    /// Takes the next bytes of the file; returns where the header line ends in them (0
    /// when it ended before them).
    fn feed(&mut self, mut chunk: &[u8]) -> usize {
        let total = chunk.len();
        let mut header_end = if self.lines == 0 { total } else { 0 };
        while !chunk.is_empty() {
            let (part, rest, whole) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], &chunk[i + 1..], true),
                None => (chunk, &chunk[chunk.len()..], false),
            };
            if self.line.len() + part.len() > MAX_LINE {
                self.too_long = true;
            } else {
                self.line.extend_from_slice(part);
            }
            chunk = rest;
            if whole {
                if self.lines == 0 {
                    header_end = total - chunk.len();
                }
                self.end_line();
            }
        }
        header_end
    }

    fn end_line(&mut self) {
        let number = self.lines + 1;
        if self.wrong.is_none() {
            self.wrong = self.check_line(number);
        }
        self.lines += 1;
        self.line.clear();
        self.too_long = false;
    }

    /// What is wrong with line `number` (1-based), if anything.
    fn check_line(&self, number: u64) -> Option<String> {
        if self.too_long {
            return Some(format!(
                "line {number} is longer than any row shopsim writes"
            ));
        }
        if number == 1 {
            return (self.line != self.header)
                .then(|| "line 1 is not the header this shopsim writes".to_string());
        }
        let variants = self.names.len() as u64;
        let row = number - 2;
        if variants == 0 || row >= self.count.saturating_mul(variants) {
            // Counted by `finish`.
            return None;
        }
        let v = (row % variants) as usize;
        let trial = self.first + row / variants;
        let prefix = &self.prefixes[v];
        let found = self
            .line
            .strip_prefix(prefix.as_slice())
            .and_then(|rest| rest.split(|&b| b == b',').next())
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| digits.parse::<u64>().ok());
        (found != Some(trial)).then(|| {
            format!(
                "line {number} is not trial {trial} of `{}` (the shard's trials are {}..{}, each with the study's variants in order)",
                self.names[v],
                self.first,
                self.first + self.count
            )
        })
    }

    /// What is wrong with the file, once every byte was fed.
    fn finish(self) -> Option<String> {
        if let Some(wrong) = self.wrong {
            return Some(wrong);
        }
        if !self.line.is_empty() || self.too_long {
            return Some("ends in the middle of a row".to_string());
        }
        let expected = self.count.saturating_mul(self.names.len() as u64);
        let rows = self.lines.saturating_sub(1);
        (self.lines == 0 || rows != expected).then(|| {
            format!(
                "has {rows} rows where part.json's {} trials of {} variants make {expected}",
                self.count,
                self.names.len()
            )
        })
    }
}

/// Checks that `parts` are every shard of one study, once each, and puts them in shard
/// order.
pub fn check_complete(parts: &mut [(PathBuf, Part)]) -> Result<(), InputError> {
    parts.sort_by_key(|(_, p)| p.record.shard);
    let (first_dir, first) = (&parts[0].0, &parts[0].1.record);
    let mut problems = Vec::new();
    for (dir, p) in parts.iter().skip(1) {
        let r = &p.record;
        let values = |mine: String, theirs: String| Some((mine, theirs));
        let differs = [
            ("study", r.study != first.study, None),
            (
                "shopsim version",
                r.version != first.version
                    || r.build != first.build
                    || r.format_version != first.format_version,
                values(r.version_and_build(), first.version_and_build()),
            ),
            (
                "scenario text",
                r.scenario_text != first.scenario_text,
                None,
            ),
            ("parameter CSV", r.params_text != first.params_text, None),
            (
                "seed",
                r.seed != first.seed,
                values(r.seed.to_string(), first.seed.to_string()),
            ),
            (
                "trial count",
                r.trials != first.trials,
                values(r.trials.to_string(), first.trials.to_string()),
            ),
            (
                "number of days",
                r.horizon_days != first.horizon_days,
                values(r.horizon_days.to_string(), first.horizon_days.to_string()),
            ),
            (
                "number of shards",
                r.shards != first.shards,
                values(r.shards.to_string(), first.shards.to_string()),
            ),
            (
                "draw method",
                r.draw_method != first.draw_method,
                values(r.draw_method.clone(), first.draw_method.clone()),
            ),
            (
                "sampling",
                r.sampling != first.sampling,
                values(r.sampling.clone(), first.sampling.clone()),
            ),
            (
                "list of variants",
                r.variants != first.variants,
                values(r.variants.join(", "), first.variants.join(", ")),
            ),
        ];
        for (what, different, shown) in differs {
            if different {
                let shown = shown.map_or(String::new(), |(mine, theirs)| {
                    format!(" ({mine} here, {theirs} there)")
                });
                problems.push(problem(
                    dir,
                    format!(
                        "its {what} differs from {}'s{shown}: parts of different runs cannot be merged; pass the parts of one run, or {} as the others were run",
                        crate::error::printable_path(first_dir),
                        rerun(r)
                    ),
                ));
            }
        }
    }
    for pair in parts.windows(2) {
        if pair[0].1.record.shard == pair[1].1.record.shard {
            problems.push(problem(
                &pair[1].0,
                format!(
                    "shard {} of {} is given twice (also {})",
                    pair[1].1.record.shard,
                    first.shards,
                    crate::error::printable_path(&pair[0].0)
                ),
            ));
        }
    }
    if problems.is_empty() {
        let have: Vec<u64> = parts.iter().map(|(_, p)| p.record.shard).collect();
        let missing: Vec<String> = (1..=first.shards)
            .filter(|k| !have.contains(k))
            .map(|k| k.to_string())
            .collect();
        if missing.is_empty() {
            check_contiguous(parts, first.trials, &mut problems);
        } else {
            problems.push(Problem::general(
                Kind::Conflict,
                format!(
                    "study `{}` was split into {} shards; missing: {} (merge needs every shard)",
                    first.study,
                    first.shards,
                    missing.join(", ")
                ),
            ));
        }
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Every shard present once: their trials must follow each other from 0 to `trials`.
fn check_contiguous(parts: &[(PathBuf, Part)], trials: u64, problems: &mut Vec<Problem>) {
    let mut next = 0;
    for (dir, p) in parts {
        if p.record.first_trial != next {
            problems.push(problem(
                dir,
                format!(
                    "its trials start at {} where {next} was expected",
                    p.record.first_trial
                ),
            ));
        }
        next = p.record.first_trial + p.record.trial_count;
    }
    if problems.is_empty() && next != trials {
        problems.push(Problem::general(
            Kind::Conflict,
            format!("the shards hold {next} trials of {trials}"),
        ));
    }
}

/// Checks each part's record against the study its scenario text (and parameter CSV)
/// builds: the study's `name`, its days (`horizon`) and its `variants`. The parts' data
/// are checked against their records as they are read.
pub fn check_study(
    parts: &[(PathBuf, Part)],
    name: &str,
    horizon: usize,
    variants: &[String],
) -> Result<(), InputError> {
    let mut problems = Vec::new();
    for (dir, p) in parts {
        let r = &p.record;
        let what = if r.study != name {
            format!(
                "part.json names the study `{}` but its scenario text names `{name}`",
                r.study
            )
        } else if r.horizon_days != horizon {
            format!(
                "part.json's scenario text runs {horizon} days but its record says {}",
                r.horizon_days
            )
        } else if r.variants != variants {
            format!(
                "part.json lists the variants {} but its scenario text defines {}",
                quoted(&r.variants),
                quoted(variants)
            )
        } else {
            continue;
        };
        problems.push(problem(
            dir,
            format!(
                "{what}: part.json was edited or mixes two runs; {}",
                rerun(r)
            ),
        ));
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_batches_into_contiguous_blocks_that_cover_every_trial() {
        for (trials, count) in [(600u64, 3u64), (256, 1), (10_000, 7), (1_000_000, 64)] {
            let mut next = 0;
            for index in 1..=count {
                let (first, n) = Shard { index, count }.trials(trials).unwrap();
                assert_eq!(first, next);
                assert_eq!(first % BATCH_SIZE, 0);
                next = first + n;
            }
            assert_eq!(next, trials);
        }
        assert_eq!(Shard { index: 1, count: 3 }.trials(300), None);
    }

    #[test]
    fn shard_text_is_k_of_n() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn digests_are_sha256_whether_read_whole_or_a_block_at_a_time() {
        let abc = digest_bytes(b"abc");
        assert_eq!(abc.bytes, 3);
        assert_eq!(
            abc.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Three and a half blocks of the reader.
        let long: Vec<u8> = (0..(7u32 << 19)).map(|i| (i % 251) as u8).collect();
        let streamed = digest_reader(long.as_slice()).unwrap();
        assert_eq!(streamed, digest_bytes(&long));
        assert_ne!(streamed, digest_bytes(&long[..long.len() - 1]));
    }

    /// A record of `count` trials from `first` of two variants, one with a name the CSV
    /// writer quotes.
    fn record(first: u64, count: u64) -> PartRecord {
        PartRecord {
            build: None,
            program: "shopsim".to_string(),
            kind: "shard".to_string(),
            format_version: FORMAT_VERSION,
            version: String::new(),
            study: "s".to_string(),
            scenario: String::new(),
            scenario_text: String::new(),
            params_csv: None,
            params_text: None,
            seed: 1,
            trials: first + count,
            horizon_days: 1,
            draw_method: "per-day".to_string(),
            sampling: "mc".to_string(),
            shard: 2,
            shards: 2,
            first_trial: first,
            trial_count: count,
            variants: vec!["a".to_string(), "x, \"y\"".to_string()],
            elapsed_seconds: 0.0,
            files: Default::default(),
        }
    }

    #[test]
    fn a_record_must_be_its_shards_share_and_list_the_files_a_shard_writes() {
        let dir = Path::new("p");
        let mut good = record(256, 3);
        good.files
            .insert(PART_DATA.to_string(), digest_bytes(b"{}"));
        assert_eq!(check_record(dir, &good), []);
        let says = |change: &dyn Fn(&mut PartRecord)| {
            let mut r = good.clone();
            change(&mut r);
            let problems = check_record(dir, &r);
            assert_eq!(problems.len(), 1, "{problems:?}");
            problems[0].to_string()
        };
        assert_eq!(
            says(&|r| r.first_trial = 0),
            "p: part.json says shard 2/2 holds trials 0..3, but shard 2/2 of 259 trials is trials 256..259: part.json was edited or mixes two runs; rerun shard 2/2"
        );
        assert!(says(&|r| r.shard = 3).contains("says shard 3 of 2, which is not a shard"));
        assert!(says(&|r| r.draw_method = "fast".to_string()).contains("`fast` is neither"));
        assert!(says(&|r| r.sampling = "sobol".to_string()).contains("`sobol` is neither"));
        assert!(says(&|r| {
            r.files.insert("notes.txt".to_string(), digest_bytes(b""));
        })
        .contains("lists the files `accumulators.json`, `notes.txt` where"));
        assert!(says(&|r| r.files.clear()).contains("lists the files none where"));
        // Numbers no shard writes are refused, not overflowed on.
        let huge = says(&|r| {
            (r.trials, r.shard, r.shards) = (u64::MAX, u64::MAX - 1, u64::MAX);
        });
        assert!(
            huge.contains("the study has 18446744073709551615 trials"),
            "{huge}"
        );
        let many = says(&|r| {
            (r.trials, r.shard, r.shards) = (crate::sim::MAX_TRIALS, u64::MAX - 1, u64::MAX);
        });
        assert!(
            many.contains("is not a share: there are fewer batches than shards"),
            "{many}"
        );
    }

    /// The rows of [`record`]'s trials as the trials writer writes them.
    fn rows(r: &PartRecord) -> String {
        let mut text = String::from_utf8(csv_line(crate::formats::rows::trials_header())).unwrap();
        text.push('\n');
        for t in r.first_trial..r.first_trial + r.trial_count {
            text.push_str(&format!("a,{t},1.5,2\n\"x, \"\"y\"\"\",{t},NaN,3\n"));
        }
        text
    }

    /// Feeds `text` in pieces of `size` bytes; what it says and the bytes after the header.
    fn check(r: &PartRecord, text: &str, size: usize) -> (Option<String>, Vec<u8>) {
        let mut rows = RowCheck::new(r);
        let mut body = Vec::new();
        for piece in text.as_bytes().chunks(size) {
            let header_end = rows.feed(piece);
            body.extend_from_slice(&piece[header_end..]);
        }
        (rows.finish(), body)
    }

    #[test]
    fn rows_must_be_the_parts_trials_in_order_with_the_variants_in_order() {
        let r = record(256, 3);
        let good = rows(&r);
        let body = &good[good.find('\n').unwrap() + 1..];
        for size in [1, 7, 64, 1 << 20] {
            assert_eq!(
                check(&r, &good, size),
                (None, body.as_bytes().to_vec()),
                "{size}"
            );
        }
        let lines: Vec<&str> = good.lines().collect();
        let text = |lines: &[&str]| lines.join("\n") + "\n";
        let says = |text: &str| check(&r, text, 5).0.unwrap();
        let mut swapped = lines.clone();
        swapped.swap(3, 4);
        assert_eq!(
            says(&text(&swapped)),
            "line 4 is not trial 257 of `a` (the shard's trials are 256..259, each with the study's variants in order)"
        );
        assert_eq!(
            says(&text(&lines[..6])),
            "has 5 rows where part.json's 3 trials of 2 variants make 6"
        );
        let mut more = lines.clone();
        more.push(lines[1]);
        assert_eq!(
            says(&text(&more)),
            "has 7 rows where part.json's 3 trials of 2 variants make 6"
        );
        assert_eq!(says(&good[..good.len() - 3]), "ends in the middle of a row");
        assert_eq!(
            says(""),
            "has 0 rows where part.json's 3 trials of 2 variants make 6"
        );
        let mut header = lines.clone();
        header[0] = "variant,trial,profit";
        assert_eq!(
            says(&text(&header)),
            "line 1 is not the header this shopsim writes"
        );
        let long = format!("{}\n{}", lines[0], "9".repeat(MAX_LINE + 1));
        assert_eq!(
            says(&(long + "\n")),
            "line 2 is longer than any row shopsim writes"
        );
        // Trials of another shard.
        assert_eq!(
            check(&record(0, 3), &good, 5).0.unwrap(),
            "line 2 is not trial 0 of `a` (the shard's trials are 0..3, each with the study's variants in order)"
        );
    }

    #[test]
    fn accumulators_come_back_bit_for_bit_and_cut_bytes_are_refused() {
        let scenario = crate::scenario::parse(
            crate::scenario::BUILT_IN,
            crate::scenario::BUILT_IN_NAME,
            None,
        )
        .unwrap();
        let spec = scenario.spec().clone().with_trials(300).unwrap();
        let pairs = crate::stats::analysis::table_pairs(spec.variants().len(), None);
        let acc = StudyAccumulator::run_all(&spec, crate::sim::DrawMethod::PerDay, &pairs, &|_| {});
        let (variants, horizon) = (spec.variants().len(), spec.horizon_days());
        let bytes = encode(&acc);
        let back = decode(&bytes, 300, variants, horizon, &pairs).unwrap();
        assert_eq!(back, acc);
        let refused = |bytes: &[u8], trials, variants, horizon, pairs: &[(usize, usize)]| {
            decode(bytes, trials, variants, horizon, pairs)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused(&bytes[..bytes.len() - 1], 300, variants, horizon, &pairs),
            "is not a part's accumulators (cut short, or not shopsim's)"
        );
        assert_eq!(
            refused(&bytes, 299, variants, horizon, &pairs),
            "holds 300 trials where part.json says 299"
        );
        assert_eq!(
            decode(&bytes, 299, variants, horizon, &pairs).unwrap_err(),
            Mismatch::Trials {
                held: 300,
                recorded: 299
            }
        );
        assert_eq!(
            refused(&bytes, 300, variants, horizon + 1, &pairs),
            format!("holds {horizon} days where part.json says {}", horizon + 1)
        );
        assert_eq!(
            refused(&bytes, 300, variants - 1, horizon, &pairs),
            format!(
                "holds {variants} variants where part.json lists {}",
                variants - 1
            )
        );
        assert_eq!(
            refused(&bytes, 300, variants, horizon, &pairs[1..]),
            "compares other pairs of variants than the scenario's"
        );
    }
}

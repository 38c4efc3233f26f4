//! Scale-out: `shopsim run --shard K/N` runs one share of a study's trial batches and
//! writes a part folder; `shopsim merge` puts the parts back together into the study a
//! single run would have written.
//!
//! A part holds its trials' streaming accumulators ([`StudyAccumulator`]: exact sums,
//! counts and sketches, whose merge does not depend on order) in `accumulators.json`,
//! with `--write-trials` its rows of `trials.csv`, and in `part.json` what it is: the
//! study, the scenario's and the parameter CSV's text, the seed, the trial count, which
//! shard and which trials. The shards split the study's batches (of [`BATCH_SIZE`]
//! trials, seeded by trial index) into contiguous blocks, so the merged accumulators are
//! the single run's, bit for bit, and the tables are byte-identical.

use std::path::Path;

use crate::error::{InputError, Kind, Problem};
pub use crate::formats::record::PartRecord;
use crate::sim::study::BATCH_SIZE;
use crate::stats::accumulate::StudyAccumulator;

/// The part's accumulators.
pub const PART_DATA: &str = "accumulators.json";

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

/// A part's accumulators as bytes (JSON; floats that may be infinite as their bits).
pub fn encode(results: &StudyAccumulator) -> Vec<u8> {
    serde_json::to_vec(results).expect("accumulators always serialise")
}

/// Reads [`encode`]'s bytes back; `None` when they are not the accumulators of `trials`
/// trials of `variants` variants over `horizon` days (see [`StudyAccumulator::fits`]; the
/// compared pairs are checked against the scenario's by the merge).
pub fn decode(
    bytes: &[u8],
    trials: u64,
    variants: usize,
    horizon: usize,
) -> Option<StudyAccumulator> {
    let acc: StudyAccumulator = serde_json::from_slice(bytes).ok()?;
    let pairs: Vec<(usize, usize)> = acc.pairs.iter().map(|p| (p.a, p.b)).collect();
    let indices_fit = pairs
        .iter()
        .all(|&(a, b)| a < variants && b < variants && a != b);
    (acc.trials == trials && indices_fit && acc.fits(variants, horizon, &pairs)).then_some(acc)
}

/// A part folder read back.
pub struct Part {
    /// Its `part.json`.
    pub record: PartRecord,
    /// Its folder.
    pub dir: std::path::PathBuf,
    /// Its `trials.csv`, when it was run with `--write-trials`.
    pub trials_csv: Option<std::path::PathBuf>,
}

fn problem(dir: &Path, message: String) -> Problem {
    Problem::general(Kind::Conflict, format!("{}: {message}", dir.display()))
}

/// Reads a part folder.
pub fn read(dir: &Path) -> Result<Part, InputError> {
    let marker = dir.join(crate::output::SHARD_MARKER);
    let text = std::fs::read_to_string(&marker).map_err(|_| {
        InputError::one(problem(
            dir,
            "is not a shopsim shard folder (it has no part.json); shards are written by `shopsim run --shard K/N`".to_string(),
        ))
    })?;
    let record: PartRecord = serde_json::from_str(&text)
        .ok()
        .filter(|r: &PartRecord| r.program == "shopsim" && r.kind == "shard")
        .ok_or_else(|| {
            InputError::one(problem(
                dir,
                "part.json is not a shopsim shard record".to_string(),
            ))
        })?;
    if record.format_version != crate::formats::record::FORMAT_VERSION {
        return Err(InputError::one(problem(
            dir,
            format!(
                "the part was written by a shopsim of format {} and this one merges format {}; run the shards again with this version",
                record.format_version,
                crate::formats::record::FORMAT_VERSION
            ),
        )));
    }
    if !dir.join(PART_DATA).is_file() {
        return Err(InputError::one(problem(
            dir,
            format!("{PART_DATA} is missing"),
        )));
    }
    let trials_csv = Some(dir.join("trials.csv")).filter(|p| p.is_file());
    Ok(Part {
        record,
        dir: dir.to_path_buf(),
        trials_csv,
    })
}

impl Part {
    /// Reads the part's accumulators (one part at a time: a merge holds one part and the
    /// running total, not every part).
    pub fn accumulators(&self) -> Result<StudyAccumulator, InputError> {
        let dir = &self.dir;
        let bytes = std::fs::read(dir.join(PART_DATA))
            .map_err(|e| InputError::one(problem(dir, format!("cannot read {PART_DATA}: {e}"))))?;
        decode(
            &bytes,
            self.record.trial_count,
            self.record.variants.len(),
            self.record.horizon_days,
        )
        .ok_or_else(|| {
            InputError::one(problem(
                dir,
                format!("{PART_DATA} does not hold the trials part.json describes (cut or from another run)"),
            ))
        })
    }
}

/// Checks that `parts` are every shard of one study, once each, and puts them in shard
/// order.
pub fn check_complete(parts: &mut [(std::path::PathBuf, Part)]) -> Result<(), InputError> {
    parts.sort_by_key(|(_, p)| p.record.shard);
    let (first_dir, first) = (&parts[0].0, &parts[0].1.record);
    let mut problems = Vec::new();
    for (dir, p) in parts.iter().skip(1) {
        let r = &p.record;
        let differs = [
            ("study", r.study != first.study),
            (
                "shopsim version",
                r.version != first.version || r.format_version != first.format_version,
            ),
            ("scenario text", r.scenario_text != first.scenario_text),
            ("parameter CSV", r.params_text != first.params_text),
            ("seed", r.seed != first.seed),
            ("trial count", r.trials != first.trials),
            ("number of shards", r.shards != first.shards),
            ("draw method", r.draw_method != first.draw_method),
        ];
        for (what, different) in differs {
            if different {
                problems.push(problem(
                    dir,
                    format!(
                        "its {what} differs from {}'s: parts of different runs cannot be merged",
                        first_dir.display()
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
                    pair[0].0.display()
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
fn check_contiguous(
    parts: &[(std::path::PathBuf, Part)],
    trials: u64,
    problems: &mut Vec<Problem>,
) {
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
        let back = decode(&bytes, 300, variants, horizon).unwrap();
        assert_eq!(back, acc);
        assert!(decode(&bytes[..bytes.len() - 1], 300, variants, horizon).is_none());
        assert!(decode(&bytes, 299, variants, horizon).is_none());
        assert!(decode(&bytes, 300, variants, horizon + 1).is_none());
        assert!(decode(&bytes, 300, variants - 1, horizon).is_none());
    }
}

//! Options × states of the world. A scenario may name states of the world (`[[world]]`:
//! a duty rate, a demand level — what the seller does not choose) beside its options
//! (`[[variant]]`: what the seller chooses). The study then simulates every option in every
//! world, each pair a variant of its own (a *cell*), all on common random numbers; the
//! statistics compare options within a world (P(best) counts the options of one world) and
//! across worlds (regret).

/// One state of the world.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    /// Its name (unique among the worlds).
    pub name: String,
    /// How likely the scenario thinks it is, normalised so the worlds' weights add to 1;
    /// `None` when the scenario gives no weights.
    pub weight: Option<f64>,
    /// What it stands for, if the scenario says.
    pub description: Option<String>,
}

/// Which option and which world a variant of the study is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Index into [`Worlds::options`].
    pub option: usize,
    /// Index into [`Worlds::worlds`].
    pub world: usize,
}

/// The options, the worlds, and the cell each variant of the study is (in the study's
/// variant order). Every cell is one option in one world; after `--variant` keeps some,
/// an option may be missing from a world.
#[derive(Clone, Debug, PartialEq)]
pub struct Worlds {
    options: Vec<String>,
    worlds: Vec<World>,
    cells: Vec<Cell>,
}

/// The name of the variant that is `option` in `world`.
pub fn cell_name(option: &str, world: &str) -> String {
    format!("{option}@{world}")
}

impl Worlds {
    /// Every option in every world, option by option (the cells' order in the study).
    /// Weights, when given, are normalised to add to 1 (the caller checks they are
    /// finite, not negative, and not all zero).
    pub fn every_cell(options: Vec<String>, mut worlds: Vec<World>) -> Worlds {
        let total: f64 = worlds.iter().filter_map(|w| w.weight).sum();
        if worlds.iter().all(|w| w.weight.is_some()) && total > 0.0 {
            for w in &mut worlds {
                w.weight = w.weight.map(|x| x / total);
            }
        } else {
            for w in &mut worlds {
                w.weight = None;
            }
        }
        let cells = (0..options.len())
            .flat_map(|option| (0..worlds.len()).map(move |world| Cell { option, world }))
            .collect();
        Worlds {
            options,
            worlds,
            cells,
        }
    }

    /// The options' names.
    pub fn options(&self) -> &[String] {
        &self.options
    }

    /// The worlds.
    pub fn worlds(&self) -> &[World] {
        &self.worlds
    }

    /// Per variant of the study, its option and world.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The variant that is `option` in `world`, if the study has it.
    pub fn variant(&self, option: usize, world: usize) -> Option<usize> {
        self.cells
            .iter()
            .position(|c| c.option == option && c.world == world)
    }

    /// Per variant, the index of its world: the groups P(best) compares within.
    pub fn world_of(&self) -> Vec<usize> {
        self.cells.iter().map(|c| c.world).collect()
    }

    /// Whether every world has a weight.
    pub fn weighted(&self) -> bool {
        self.worlds.iter().all(|w| w.weight.is_some())
    }

    /// The same layout for the variants at `keep` (indices into the current cells, in
    /// that order). Options and worlds keep their indices; one without cells stays listed
    /// (the analysis shows it as missing).
    pub fn keep(&self, keep: &[usize]) -> Worlds {
        Worlds {
            options: self.options.clone(),
            worlds: self.worlds.clone(),
            cells: keep.iter().map(|&i| self.cells[i]).collect(),
        }
    }

    /// The variants that are `option` (in every world), by index.
    pub fn variants_of_option(&self, option: &str) -> Vec<usize> {
        let Some(o) = self.options.iter().position(|x| x == option) else {
            return Vec::new();
        };
        (0..self.cells.len())
            .filter(|&i| self.cells[i].option == o)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(name: &str, weight: Option<f64>) -> World {
        World {
            name: name.into(),
            weight,
            description: None,
        }
    }

    #[test]
    fn cells_go_option_by_option_and_weights_add_to_one() {
        let w = Worlds::every_cell(
            vec!["a".into(), "b".into()],
            vec![world("low", Some(1.0)), world("high", Some(3.0))],
        );
        assert_eq!(w.cells().len(), 4);
        assert_eq!(w.variant(1, 0), Some(2));
        assert_eq!(w.world_of(), vec![0, 1, 0, 1]);
        assert_eq!(w.worlds()[0].weight, Some(0.25));
        assert_eq!(w.worlds()[1].weight, Some(0.75));
        assert!(w.weighted());
        assert_eq!(w.variants_of_option("b"), vec![2, 3]);
        assert!(w.variants_of_option("c").is_empty());
    }

    #[test]
    fn weights_on_only_some_worlds_are_dropped() {
        let w = Worlds::every_cell(
            vec!["a".into()],
            vec![world("low", Some(1.0)), world("high", None)],
        );
        assert!(!w.weighted());
        assert!(w.worlds().iter().all(|x| x.weight.is_none()));
    }

    #[test]
    fn keeping_some_variants_keeps_their_cells() {
        let w = Worlds::every_cell(
            vec!["a".into(), "b".into()],
            vec![world("low", None), world("high", None)],
        );
        let kept = w.keep(&[1, 2]);
        assert_eq!(
            kept.cells(),
            &[
                Cell {
                    option: 0,
                    world: 1
                },
                Cell {
                    option: 1,
                    world: 0
                }
            ]
        );
        assert_eq!(kept.variant(0, 0), None);
        assert_eq!(kept.variant(1, 0), Some(1));
    }
}

//! The named choices of a study: market, product category, operating model, loop type.

use std::fmt;
use std::str::FromStr;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $(#[doc = concat!("`", $text, "` in files.")] $variant),* }

        impl $name {
            /// Every choice, in the order of the documentation.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name used in files and on the command line.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Every choice's name.
            pub fn names() -> impl Iterator<Item = &'static str> {
                Self::ALL.iter().map(|c| c.name())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let lower = s.trim().to_ascii_lowercase();
                Self::ALL.iter().copied().find(|c| c.name() == lower).ok_or_else(|| {
                    format!(
                        "unknown {} `{}`{}; expected one of: {}",
                        stringify!($name).to_ascii_lowercase().replace("looptype", "loop type"),
                        s,
                        crate::suggest::hint(&lower, Self::names()),
                        Self::names().collect::<Vec<_>>().join(", ")
                    )
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

choice!(
    /// Markets the platform sells in (cross-border).
    Market { Us = "us", Uk = "uk", Sa = "sa", Sg = "sg", Th = "th", Vn = "vn", My = "my", Ph = "ph" }
);
choice!(
    /// Product categories with their own default prices, returns and commissions.
    Category {
        Apparel = "apparel", Shoes = "shoes", Beauty = "beauty", Electronics = "electronics",
        Home = "home", Collectibles = "collectibles", Food = "food", Jewelry = "jewelry",
        PersonalCare = "personal_care", Fmcg = "fmcg",
    }
);
choice!(
    /// Operating model: who runs the shop.
    Model { SelfOperated = "self_operated", FullyManaged = "fully_managed" }
);
choice!(
    /// Loop type: who delivers.
    LoopType { SemiClosed = "semi_closed", FullClosed = "full_closed" }
);

/// Whether the platform offers this model in this market (MODEL.md's list): self-operated
/// in the US and Southeast Asia, fully managed in the US, UK and Saudi Arabia.
pub fn offered(model: Model, market: Market) -> bool {
    match model {
        Model::SelfOperated => matches!(
            market,
            Market::Us | Market::Sg | Market::Th | Market::Vn | Market::My | Market::Ph
        ),
        Model::FullyManaged => matches!(market, Market::Us | Market::Uk | Market::Sa),
    }
}

/// Says that a model is not offered in a market, with the list it follows.
pub fn not_offered(model: Model, market: Market) -> String {
    format!(
        "{model} is not offered in market `{market}` (MODEL.md: self-operated in us, sg, th, vn, my, ph; fully managed in us, uk, sa)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_typos_get_hints() {
        for c in Category::ALL {
            assert_eq!(c.name().parse::<Category>().unwrap(), *c);
        }
        let e = "beuty".parse::<Category>().unwrap_err();
        assert!(e.contains("did you mean `beauty`"), "{e}");
        let e = "semi".parse::<LoopType>().unwrap_err();
        assert!(e.contains("loop type") && e.contains("semi_closed"), "{e}");
    }

    #[test]
    fn offered_combinations_follow_the_model_page() {
        assert!(offered(Model::SelfOperated, Market::Th));
        assert!(!offered(Model::SelfOperated, Market::Uk));
        assert!(offered(Model::FullyManaged, Market::Sa));
        assert!(!offered(Model::FullyManaged, Market::Vn));
    }
}

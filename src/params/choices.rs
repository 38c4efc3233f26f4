//! The named choices of a study: market, product category, operating model, loop type,
//! route, freight mode and team location.

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
choice!(
    /// Delivery route: how an order reaches the buyer (DOMAIN 2026 update). Each route
    /// belongs to one loop type ([`Route::loop_type`]).
    Route {
        DirectMail = "direct_mail", Overseas3pl = "overseas_3pl",
        PlatformShipping = "platform_shipping", Fbt = "fbt", Managed = "managed",
    }
);

choice!(
    /// How stock imported in bulk travels from the origin to the market's warehouse
    /// (routes that import stock: [`Route::imports_stock`]): cost per kg and lead time by
    /// mode (DOMAIN December 2026 review, bulk inbound freight).
    Freight { Sea = "sea", Air = "air", Express = "express" }
);

choice!(
    /// Where the team that runs the shop sits: in China with the goods (the default: every
    /// shipped study is cross-border, goods from China) or in the market it sells to. Sets
    /// the team's cost a day (`staff.cost_per_day`); fully managed keeps its own smaller
    /// team (the model's layer).
    Team { China = "china", Market = "market" }
);

choice!(
    /// Where the goods were made (their country of origin for customs), which decides the
    /// duties that apply to one origin only (the US Section 301 duties on goods of Chinese
    /// origin). China unless the scenario says otherwise: every shipped study is
    /// cross-border from China. `other` is any origin no origin-specific row of
    /// `data/duties.toml` names.
    Origin { China = "china", Other = "other" }
);

choice!(
    /// Who dispatches a route's orders ([`Route::dispatcher`]).
    Dispatcher { Merchant = "merchant", Platform = "platform" }
);

impl Route {
    /// Who dispatches the orders: the platform from its own warehouse (Fulfilled by
    /// TikTok, fully managed) or the merchant (itself, its 3PL or its carrier, also on
    /// platform labels). Seller dispatch rules and their penalties are about the merchant
    /// (DOMAIN Delivery: seller thresholds, FBT exempt).
    pub fn dispatcher(self) -> Dispatcher {
        match self {
            Route::DirectMail | Route::Overseas3pl | Route::PlatformShipping => {
                Dispatcher::Merchant
            }
            Route::Fbt | Route::Managed => Dispatcher::Platform,
        }
    }

    /// Whether the merchant imports stock in bulk into a warehouse in the market (a 3PL's
    /// or the platform's): its inbound freight mode, customs entries and bulk duty apply.
    /// Fully managed stock goes to the platform's warehouse at the origin: the platform
    /// imports.
    pub fn imports_stock(self) -> bool {
        matches!(self, Route::Overseas3pl | Route::Fbt)
    }

    /// The loop type a route belongs to: third-party logistics (semi-closed) or the
    /// platform's logistics (full closed).
    pub fn loop_type(self) -> LoopType {
        match self {
            Route::DirectMail | Route::Overseas3pl => LoopType::SemiClosed,
            Route::PlatformShipping | Route::Fbt | Route::Managed => LoopType::FullClosed,
        }
    }

    /// The route a variant gets when it names only its model and loop type.
    pub fn default_for(model: Model, loop_type: LoopType) -> Route {
        match (model, loop_type) {
            (Model::FullyManaged, _) => Route::Managed,
            (Model::SelfOperated, LoopType::SemiClosed) => Route::DirectMail,
            (Model::SelfOperated, LoopType::FullClosed) => Route::Fbt,
        }
    }

    /// Whether the route exists for the model: fully managed always ships through the
    /// platform (`managed`); a self-operated shop picks one of the other four.
    pub fn fits(self, model: Model) -> bool {
        (self == Route::Managed) == (model == Model::FullyManaged)
    }

    /// What an import is valued at for duty on this route.
    pub fn duty_basis(self) -> DutyBasis {
        match self {
            Route::DirectMail | Route::PlatformShipping => DutyBasis::ParcelPricePaid,
            Route::Overseas3pl | Route::Fbt => DutyBasis::BulkFactory,
            Route::Managed => DutyBasis::PlatformImports,
        }
    }
}

/// A product's tariff line: its Harmonized System code, from the chapter (2 digits) to a
/// national line (10 digits). Duty rows name a line's first digits (`hs = "3304"`) and
/// apply to every line that starts with them; the longest match wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TariffLine {
    /// The digits as a number, and how many there are (leading zeros count: chapter 04).
    digits: u64,
    len: u8,
}

impl TariffLine {
    /// Whether `self` is `line` or one of its headings (its first digits).
    pub fn contains(self, line: TariffLine) -> bool {
        self.len <= line.len
            && line.digits / 10u64.pow(u32::from(line.len - self.len)) == self.digits
    }

    /// How many digits it has: 2 (chapter), 4 (heading), 6 (subheading), 8 or 10.
    pub fn digits(self) -> usize {
        usize::from(self.len)
    }
}

impl FromStr for TariffLine {
    type Err = String;

    /// `3304`, `3304.99`, `6109.10.00.12`: digits, with dots or spaces between groups.
    fn from_str(text: &str) -> Result<TariffLine, String> {
        let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        if digits.is_empty()
            || !digits.chars().all(|c| c.is_ascii_digit())
            || !matches!(digits.len(), 2 | 4 | 6 | 8 | 10)
        {
            return Err(format!(
                "`{text}` is not a tariff line: expected the first 2, 4, 6, 8 or 10 digits of an HS code, e.g. \"3304\" or \"6109.10\""
            ));
        }
        Ok(TariffLine {
            digits: digits.parse().map_err(|e| format!("`{text}`: {e}"))?,
            len: digits.len() as u8,
        })
    }
}

impl fmt::Display for TariffLine {
    /// Grouped as tariffs print them: `3304`, `3304.99`, `6109.10.00.12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:0width$}", self.digits, width = usize::from(self.len));
        let (heading, rest) = text.split_at(usize::from(self.len).min(4));
        f.write_str(heading)?;
        for pair in rest.as_bytes().chunks(2) {
            write!(f, ".{}", std::str::from_utf8(pair).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl Category {
    /// The tariff line a product of the category gets unless the scenario names its own
    /// (`tariff_line`): the HS heading or chapter most of its goods fall in. A default, not
    /// a ruling: the line decides the duty, so a seller should name theirs.
    pub fn default_tariff_line(self) -> TariffLine {
        let code = match self {
            // Knitted apparel (T-shirts, tops, leggings): chapter 61.
            Category::Apparel => "61",
            Category::Shoes => "64",
            // Beauty or make-up preparations (DOMAIN December 2026 review: HS 3304).
            Category::Beauty => "3304",
            // Electrical machinery and equipment (phone accessories, small devices).
            Category::Electronics => "85",
            // Furniture, lighting and home furnishings.
            Category::Home => "94",
            // Toys, games and collectibles.
            Category::Collectibles => "95",
            // Miscellaneous edible preparations.
            Category::Food => "21",
            // Jewellery, including imitation jewellery.
            Category::Jewelry => "71",
            // Hair preparations (3305) sit with 3304 in chapter 33.
            Category::PersonalCare => "3305",
            // Household cleaning and washing preparations.
            Category::Fmcg => "3402",
        };
        code.parse().expect("built-in tariff lines are valid")
    }
}

/// Why a freight mode has no effect on `route` (it imports no stock in bulk).
pub fn freight_cannot_act(freight: Freight, route: Route) -> String {
    let why = match route {
        Route::Managed => "the merchant delivers stock to the platform's warehouse at the origin and the platform imports",
        _ => "each order ships from the origin as a parcel; no stock is imported in bulk",
    };
    format!("`freight = \"{freight}\"` has no effect on route `{route}`: {why}")
}

/// Why a team location has no effect on a fully managed variant (its model's own small
/// team replaces the team layer's staff cost).
pub fn team_cannot_act(team: Team) -> String {
    format!(
        "`team = \"{team}\"` has no effect on a fully managed variant: its staff cost is the small supply team of the fully managed model (set `staff.cost_per_day` to change it)"
    )
}

/// The route of a variant from its model and its optional `route` and `loop` choices: a
/// route alone implies its loop type; a loop type alone gets its default route
/// ([`Route::default_for`]); both must agree. Fully managed always ships through the
/// platform (route `managed`, full closed loop). `Ok(None)`: a self-operated variant that
/// names neither. `Err((key, why))`: the key at fault and why.
pub fn resolve_route(
    model: Model,
    route: Option<Route>,
    loop_type: Option<LoopType>,
) -> Result<Option<Route>, (&'static str, String)> {
    if model == Model::FullyManaged {
        if loop_type == Some(LoopType::SemiClosed) {
            return Err(("loop", "a fully managed shop cannot use a semi-closed loop: the merchant supplies stock to the platform's warehouse and the platform ships, imports and serves (DOMAIN Fully managed terms; MODEL.md); remove `loop` or write `loop = \"full_closed\"`".to_string()));
        }
        if let Some(r) = route.filter(|r| !r.fits(model)) {
            return Err(("route", format!("route `{r}` is a self-operated route; a fully managed shop always ships through the platform (route `managed`): remove `route`")));
        }
        return Ok(Some(Route::Managed));
    }
    match (route, loop_type) {
        (Some(Route::Managed), _) => Err(("route", "route `managed` is the fully managed model's; a self-operated shop picks `direct_mail`, `overseas_3pl`, `platform_shipping` or `fbt`".to_string())),
        (Some(r), Some(l)) if r.loop_type() != l => Err(("route", format!(
            "route `{r}` belongs to the {} loop, not `{l}`: remove `loop` or pick a route of that loop",
            r.loop_type()
        ))),
        (Some(r), _) => Ok(Some(r)),
        (None, Some(l)) => Ok(Some(Route::default_for(model, l))),
        (None, None) => Ok(None),
    }
}

/// What an import is valued at for duty (DOMAIN 2026 update, duty valuation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DutyBasis {
    /// A direct parcel pays duty on its transaction value (the price its buyer paid, after
    /// campaign cuts and coupons), per parcel, plus an entry fee.
    ParcelPricePaid,
    /// Stock imported in bulk pays duty on its factory (FOB) value when it is bought.
    BulkFactory,
    /// The platform is the importer; duty reaches the merchant only through the supply
    /// price.
    PlatformImports,
}

impl DutyBasis {
    /// The name used in data files (`data/duties.toml`): `parcel`, `bulk`; `platform`
    /// for the platform's imports, which no duty row is about.
    pub fn name(self) -> &'static str {
        match self {
            DutyBasis::ParcelPricePaid => "parcel",
            DutyBasis::BulkFactory => "bulk",
            DutyBasis::PlatformImports => "platform",
        }
    }
}

impl FromStr for DutyBasis {
    type Err = String;

    /// Only the merchant's imports pay duty by a row: `parcel` or `bulk`.
    fn from_str(text: &str) -> Result<DutyBasis, String> {
        match text {
            "parcel" => Ok(DutyBasis::ParcelPricePaid),
            "bulk" => Ok(DutyBasis::BulkFactory),
            other => Err(format!("unknown basis `{other}`; expected parcel or bulk")),
        }
    }
}

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
    fn tariff_lines_read_print_and_contain_their_longer_lines() {
        let line = |t: &str| t.parse::<TariffLine>().unwrap();
        assert_eq!(line("3304").to_string(), "3304");
        assert_eq!(line("6109.10.00.12").to_string(), "6109.10.00.12");
        assert_eq!(line("0401 20").to_string(), "0401.20");
        assert!(line("33").contains(line("3304.99")));
        assert!(line("3304").contains(line("3304")));
        assert!(!line("3304").contains(line("3305.10")));
        assert!(!line("3304.99").contains(line("3304")));
        // Leading zeros count: chapter 04 is not chapter 40.
        assert!(!line("04").contains(line("4011")));
        assert!(line("04").contains(line("0401")));
        for bad in ["", "330", "33a4", "12345678901", "3304.9"] {
            assert!(bad.parse::<TariffLine>().is_err(), "{bad}");
        }
        for c in Category::ALL {
            assert!(c.default_tariff_line().digits() >= 2);
        }
    }

    #[test]
    fn offered_combinations_follow_the_model_page() {
        assert!(offered(Model::SelfOperated, Market::Th));
        assert!(!offered(Model::SelfOperated, Market::Uk));
        assert!(offered(Model::FullyManaged, Market::Sa));
        assert!(!offered(Model::FullyManaged, Market::Vn));
    }
}

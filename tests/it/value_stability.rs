//! Value stability: the exact output bits of a few trials of the built-in study at a fixed
//! seed (as rand_distr's `tests/value_stability.rs` pins its samplers). A refactor must
//! leave them unchanged; a deliberate change of the numbers (a new sampler, a model change)
//! updates them in its own commit and says so in the CHANGELOG.

use shopsim::scenario::{parse, BUILT_IN, BUILT_IN_NAME};
use shopsim::sim::{self, DrawMethod, Metric};

const PINNED_METRICS: [Metric; 5] = [
    Metric::Orders,
    Metric::Profit,
    Metric::Returns,
    Metric::OnTimeRate,
    Metric::WorkingCapitalNeeded,
];

fn outputs(method: DrawMethod) -> Vec<Vec<[u64; 5]>> {
    let mut spec = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap().spec().clone();
    spec = spec.clone().with_trials(3).unwrap();
    spec = spec.clone().with_seed(20_261_123);
    let results = sim::study::run(&spec, method, &|_| {});
    results
        .variants
        .iter()
        .map(|v| {
            v.outputs
                .iter()
                .map(|o| PINNED_METRICS.map(|m| o[m].to_bits()))
                .collect()
        })
        .collect()
}

fn check(method: DrawMethod, pinned: &[[[u64; 5]; 3]; 4]) {
    let got = outputs(method);
    let shown: Vec<Vec<[f64; 5]>> = got
        .iter()
        .map(|v| v.iter().map(|t| t.map(f64::from_bits)).collect())
        .collect();
    for (variant, (g, p)) in got.iter().zip(pinned).enumerate() {
        assert_eq!(
            g.as_slice(),
            p.as_slice(),
            "variant {variant} changed; now {got:?}\n{shown:?}"
        );
    }
}

/// Per variant (self_labels, self_3pl, self_fbt, managed), per trial: the bits of
/// orders, profit, returns, on-time rate and working capital needed.
const PER_DAY: [[[u64; 5]; 3]; 4] = [
    [
        [
            4658593383491567616,
            13898826515629209476,
            4643809350144491520,
            4606308748454631761,
            4676384154607872642,
        ],
        [
            4657801735119568896,
            13899365159656577724,
            4642085315912138752,
            4604921732641368919,
            4677097247993888299,
        ],
        [
            4656656044003426304,
            13899229798562203273,
            4639024275540410368,
            4605525307957898887,
            4676633054124023686,
        ],
    ],
    [
        [
            4658391073352056832,
            13898465524359985549,
            4643475098609647616,
            4607159948951555830,
            4676996609161377162,
        ],
        [
            4658085409119535104,
            13898836912303604111,
            4641029784749473792,
            4606858078541782173,
            4677415545982890243,
        ],
        [
            4656867150235959296,
            13899070785473784385,
            4638496509959077888,
            4607045881435663210,
            4677078932109083814,
        ],
    ],
    [
        [
            4658391073352056832,
            13898405430432171305,
            4643475098609647616,
            4607175998843314100,
            4676912232686219116,
        ],
        [
            4658085409119535104,
            13897961483587290178,
            4640924231633207296,
            4607087819558032131,
            4676673717787838650,
        ],
        [
            4656867150235959296,
            13898697851416412830,
            4638496509959077888,
            4607135484081020652,
            4676655548248802851,
        ],
    ],
    [
        [
            4654153555538608128,
            13883728000129280599,
            4639305750517121024,
            4606542125756618185,
            4667874883115902068,
        ],
        [
            4660682455584342016,
            13885462781639398925,
            4644583406330445824,
            4605319102794938280,
            4670125061583745130,
        ],
        [
            4653995225864208384,
            13883542376149522743,
            4636103972657037312,
            4605970033276651989,
            4667132231719266840,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4658595582514823168,
            13898833795310841037,
            4643826942330535936,
            4606175402734269968,
            4676372942420479749,
        ],
        [
            4657806133166080000,
            13899333159031347398,
            4641698287819161600,
            4604955481129385467,
            4677057242218784335,
        ],
        [
            4656660442049937408,
            13899175141458675551,
            4638074297494011904,
            4605677508593342937,
            4676584721899841898,
        ],
    ],
    [
        [
            4658085409119535104,
            13898630604809270838,
            4643457506423603200,
            4607179041522456575,
            4677091516629195428,
        ],
        [
            4658085409119535104,
            13898853484815449316,
            4641205706609917952,
            4606908756707131429,
            4677441888739733558,
        ],
        [
            4656864951212703744,
            13899035978724389393,
            4637581716284768256,
            4607033010281573837,
            4677037636828244609,
        ],
    ],
    [
        [
            4658085409119535104,
            13898579303395834754,
            4643457506423603200,
            4607182418800017408,
            4676969984316026565,
        ],
        [
            4658083210096279552,
            13898015969915718882,
            4641205706609917952,
            4607097923497440100,
            4676675490806434805,
        ],
        [
            4656867150235959296,
            13898665609502589821,
            4637581716284768256,
            4607156818044200996,
            4676616147044752181,
        ],
    ],
    [
        [
            4654153555538608128,
            13883997407517946641,
            4639727962982187008,
            4606431305806799089,
            4667907614054562113,
        ],
        [
            4660682455584342016,
            13885432726142054619,
            4644513037586268160,
            4605269883126879586,
            4670083483204391268,
        ],
        [
            4653995225864208384,
            13883470706247616962,
            4635681760191971328,
            4606116027344910652,
            4667169593668949936,
        ],
    ],
];

#[test]
fn per_day_draws_are_stable() {
    check(DrawMethod::PerDay, &PER_DAY);
}

#[test]
fn per_bin_draws_are_stable() {
    check(DrawMethod::PerBin, &PER_BIN);
}

/// FNV-1a over 64-bit words: a digest that changes when any bit does.
fn fnv(words: impl IntoIterator<Item = u64>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for byte in w.to_le_bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Every output, every daily path value and the delay histogram of 20 trials of a study.
fn digest(path: &str, method: DrawMethod) -> u64 {
    let mut spec = shopsim::scenario::load_file(std::path::Path::new(path), None)
        .unwrap()
        .spec()
        .clone();
    spec = spec.clone().with_trials(20).unwrap();
    spec = spec.clone().with_seed(7);
    let results = sim::study::run(&spec, method, &|_| {});
    fnv(results.variants.iter().flat_map(|v| {
        v.outputs
            .iter()
            .flat_map(|o| o.0.iter().map(|x| x.to_bits()))
            .chain(v.cumulative_profit.iter().map(|x| u64::from(x.to_bits())))
            .chain(v.cash.iter().map(|x| u64::from(x.to_bits())))
            .chain(v.delay_histogram.iter().copied())
            .collect::<Vec<u64>>()
    }))
}

/// The whole output of every shipped scenario (events, stock, every delivery route and
/// both models), by draw method: a refactor of the day loop must leave every bit in place.
#[test]
fn every_output_of_the_shipped_scenarios_is_unchanged() {
    let pinned: [(&str, u64, u64); 6] = [
        (
            "scenarios/th_apparel_2026.toml",
            6356141473554372757,
            17200911840782945453,
        ),
        (
            "scenarios/large_seller.toml",
            2791857724857207668,
            6669131071066638102,
        ),
        (
            "scenarios/small_seller.toml",
            6983104124541931545,
            2837591040650393094,
        ),
        (
            "scenarios/managed_price_ladder.toml",
            9839776413693862806,
            5270602730211051269,
        ),
        (
            "scenarios/us_tariff_shock.toml",
            8615144247243495133,
            14906402657709959994,
        ),
        (
            "scenarios/us_beauty_2026_routes.toml",
            354708962714557921,
            3209001678629849886,
        ),
    ];
    let got: Vec<(&str, u64, u64)> = pinned
        .iter()
        .map(|&(path, _, _)| {
            (
                path,
                digest(path, DrawMethod::PerDay),
                digest(path, DrawMethod::PerBin),
            )
        })
        .collect();
    assert_eq!(got.as_slice(), pinned.as_slice(), "now {got:#?}");
}

/// The first draws of every distribution family from one stream, as rand_distr pins its
/// samplers: a change of sampler shows here, in the family it touches.
fn family_draws() -> Vec<(&'static str, [u64; 3])> {
    use shopsim::params::Dist;
    use shopsim::sim::rng::{stream, Purpose};
    [
        "normal(10, 2)",
        "lognormal(5, 0.4)",
        "uniform(1, 3)",
        "triangular(1, 2, 6)",
        "pert(2, 3, 10)",
        "beta(2, 8)",
        "5..20",
        "-2..4",
    ]
    .into_iter()
    .map(|text| {
        let d = Dist::parse(text).unwrap();
        let mut rng = stream(42, 0, Purpose::Parameters, 0);
        (text, std::array::from_fn(|_| d.sample(&mut rng).to_bits()))
    })
    .collect()
}

#[test]
fn every_distribution_family_draws_the_pinned_values() {
    let pinned: Vec<(&str, [u64; 3])> = vec![
        (
            "normal(10, 2)",
            [
                4621859770889302094,
                4621821883171941250,
                4621192881139744945,
            ],
        ),
        (
            "lognormal(5, 0.4)",
            [
                4617397414552974127,
                4617321051845705636,
                4616192589930667655,
            ],
        ),
        (
            "uniform(1, 3)",
            [
                4611811744636468606,
                4611696090627685498,
                4607625460769420429,
            ],
        ),
        (
            "triangular(1, 2, 6)",
            [
                4613774047105586040,
                4613588344831641425,
                4609415848700592382,
            ],
        ),
        (
            "pert(2, 3, 10)",
            [
                4616330280236336756,
                4612351025521543731,
                4617816083717864884,
            ],
        ),
        (
            "beta(2, 8)",
            [
                4596770227515886315,
                4585957619096822142,
                4599609372743727715,
            ],
        ),
        (
            "5..20",
            [
                4621905429805819553,
                4621824947738463425,
                4620592497310295020,
            ],
        ),
        (
            "-2..4",
            [
                4607479004220126212,
                4607202595060745406,
                13802858088078782336,
            ],
        ),
    ];
    let got = family_draws();
    let shown: Vec<(&str, [f64; 3])> = got
        .iter()
        .map(|(t, b)| (*t, b.map(f64::from_bits)))
        .collect();
    assert_eq!(got, pinned, "now {got:?}\n{shown:?}");
}

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

/// Per variant (self_semi, self_full, managed_semi, managed_full), per trial: the bits of
/// orders, profit, returns, on-time rate and working capital needed.
const PER_DAY: [[[u64; 5]; 3]; 4] = [
    [
        [
            4657995249166057472,
            13885382227888439618,
            4644020456377024512,
            4605447622604882320,
            4667953625187052782,
        ],
        [
            4657115639863836672,
            13886158552121896145,
            4641768656563339264,
            4603933451736714736,
            4667927179135239032,
        ],
        [
            4656502112375537664,
            13889679945449316675,
            4642753818981826560,
            4604962527080858064,
            4669165284841935280,
        ],
    ],
    [
        [
            4658501024514834432,
            13889354185734659118,
            4642331606516760576,
            4607150880987500808,
            4672140486230046784,
        ],
        [
            4657399313863802880,
            13889615662306428473,
            4639340934889209856,
            4606975708744872481,
            4671694704598541664,
        ],
        [
            4656785786375503872,
            13891564339283848616,
            4640889047261118464,
            4607143332593029622,
            4672084055877665215,
        ],
    ],
    [
        [
            4657632410328891392,
            4657165089796820594,
            4643475098609647616,
            4605419104660200388,
            4668871523606685775,
        ],
        [
            4657344338282414080,
            13880111170135214497,
            4642050131540049920,
            4603893580216976682,
            4669299858973627172,
        ],
        [
            4659853423816998912,
            4670502820385165548,
            4646113926516310016,
            4604906998708566231,
            4668289076068992896,
        ],
    ],
    [
        [
            4658105200328835072,
            4658912184462383485,
            4641663103447072768,
            4607148772183451323,
            4668380435483241574,
        ],
        [
            4657643405445169152,
            13872503705829642553,
            4639763147354275840,
            4606985100844741135,
            4668776711640744000,
        ],
        [
            4660222859723931648,
            4671130618804032496,
            4644389892283957248,
            4607137804164193154,
            4667501717021365742,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4657995249166057472,
            13884836275375342888,
            4643738981400313856,
            4605488845484766718,
            4667901691532736471,
        ],
        [
            4657115639863836672,
            13885941457375462307,
            4641276075354095616,
            4603733200936586647,
            4667872158787419478,
        ],
        [
            4656502112375537664,
            13889515549458398633,
            4642155684656316416,
            4604825778104318474,
            4669103890975507996,
        ],
    ],
    [
        [
            4658501024514834432,
            13889260849841842972,
            4642050131540049920,
            4607157188550004128,
            4672102064705271492,
        ],
        [
            4657399313863802880,
            13889609006019421213,
            4639270566145032192,
            4607033128204634961,
            4671671629187858450,
        ],
        [
            4656785786375503872,
            13891444022185789559,
            4640431650423963648,
            4607152018416804685,
            4672085101698041676,
        ],
    ],
    [
        [
            4657632410328891392,
            4657463936599119449,
            4643299176749203456,
            4605470427732876975,
            4668903954612988096,
        ],
        [
            4657344338282414080,
            13879908358557791716,
            4641698287819161600,
            4603663127157119909,
            4669379364665730862,
        ],
        [
            4659853423816998912,
            4670587989622679566,
            4645762082795421696,
            4604788897319736585,
            4668271057403603554,
        ],
    ],
    [
        [
            4658105200328835072,
            4658968969434171384,
            4641627919074983936,
            4607172324815047582,
            4668426614927508098,
        ],
        [
            4657643405445169152,
            13871625235933724901,
            4639411303633387520,
            4607043565424082253,
            4668709541410857433,
        ],
        [
            4660222859723931648,
            4671112894655120917,
            4644460261028134912,
            4607140282755072280,
            4667485787620815478,
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

/// The whole output of every shipped scenario (events, stock, tiers, both loop types and
/// both models), by draw method: a refactor of the day loop must leave every bit in place.
#[test]
fn every_output_of_the_shipped_scenarios_is_unchanged() {
    let pinned: [(&str, u64, u64); 5] = [
        (
            "scenarios/apparel_sea_vs_uk.toml",
            11443981016729362983,
            6481734251552947998,
        ),
        (
            "scenarios/large_seller.toml",
            15476538930642763308,
            12424282830571811972,
        ),
        (
            "scenarios/small_seller.toml",
            17534333314317698245,
            1867989629636411969,
        ),
        (
            "scenarios/us_beauty_black_friday.toml",
            12445895936408341523,
            15599576492600739643,
        ),
        (
            "scenarios/us_referral_fee.toml",
            7184194213407789522,
            9726251894508008355,
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
                4623436823201275428,
                4623338415219251496,
                4619245127435893657,
            ],
        ),
        (
            "lognormal(5, 0.4)",
            [
                4621190417809897800,
                4621018603110937918,
                4613017774506887993,
            ],
        ),
        (
            "uniform(1, 3)",
            [
                4613618826524793665,
                4613834253435677704,
                4607467156260895098,
            ],
        ),
        (
            "triangular(1, 2, 6)",
            [
                4617101356780950538,
                4617677861699105369,
                4608972910019422844,
            ],
        ),
        (
            "pert(2, 3, 10)",
            [
                4612166196396108390,
                4615873704245977224,
                4612057915652807396,
            ],
        ),
        (
            "beta(2, 8)",
            [
                4584526671330383990,
                4595928382387475543,
                4582846010620751517,
            ],
        ),
        (
            "5..20",
            [
                4625850195591132269,
                4625663707743666081,
                4617319724118657479,
            ],
        ),
        (
            "-2..4",
            [
                4615335189687835690,
                4614976222857919091,
                13835043497035558854,
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

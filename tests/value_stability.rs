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
            4657260775398703104,
            13892675807423702774,
            4641557550330806272,
            4604912888279137788,
            4672472814901875986,
        ],
        [
            4658980411584544768,
            13892339586836120503,
            4641311259726184448,
            4605264246116005487,
            4674430038992308415,
        ],
        [
            4658841873119444992,
            13889769027712538157,
            4643439914237558784,
            4604025101617846215,
            4673803362124741661,
        ],
    ],
    [
        [
            4657955666747457536,
            13891772640815053329,
            4642120500284227584,
            4606898890838831703,
            4674979650320531584,
        ],
        [
            4659994161305354240,
            13890120820202200780,
            4641100153493651456,
            4607011654128238221,
            4675869207582108584,
        ],
        [
            4659952379863498752,
            13889264755373600780,
            4642437159633027072,
            4606494885504582892,
            4675634861945667007,
        ],
    ],
    [
        [
            4657955666747457536,
            13889762426143325044,
            4642120500284227584,
            4607095977348436400,
            4674596225091777215,
        ],
        [
            4659994161305354240,
            13887073913616510089,
            4641064969121562624,
            4607128895544683633,
            4675591714148693292,
        ],
        [
            4659952379863498752,
            13886380294769306689,
            4642226053400494080,
            4606900222298159957,
            4675412071365288065,
        ],
    ],
    [
        [
            4661675314584223744,
            13884108509389643486,
            4645814859353554944,
            4605361707918793856,
            4670380939023302911,
        ],
        [
            4652812151352721408,
            13884876413642789315,
            4634626229029306368,
            4605804480798211742,
            4666551395278073654,
        ],
        [
            4656123880375582720,
            13880026381838062504,
            4639763147354275840,
            4604402243911939873,
            4667201839814687118,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4657260775398703104,
            13892534037408463569,
            4641100153493651456,
            4604979870950760971,
            4672493676074227560,
        ],
        [
            4658980411584544768,
            13892412859988130146,
            4641416812842450944,
            4605111730856726252,
            4674427774811328484,
        ],
        [
            4658841873119444992,
            13889527420835091381,
            4642929740842270720,
            4604007111206551792,
            4673814460177477866,
        ],
    ],
    [
        [
            4657955666747457536,
            13891682881193732310,
            4641839025307516928,
            4606864314258199300,
            4674997946414886547,
        ],
        [
            4659994161305354240,
            13889982191743847050,
            4640713125400674304,
            4607034592666238410,
            4675839704375715715,
        ],
        [
            4659952379863498752,
            13889256706021668198,
            4642401975260938240,
            4606482058390862099,
            4675663902756479679,
        ],
    ],
    [
        [
            4657955666747457536,
            13889676245432352435,
            4641839025307516928,
            4607075231400056959,
            4674564891862955008,
        ],
        [
            4659994161305354240,
            13886793622047709977,
            4640677941028585472,
            4607144187903350426,
            4675560964229564546,
        ],
        [
            4659952379863498752,
            13886448966659167378,
            4642331606516760576,
            4606879698916206688,
            4675441058722909701,
        ],
    ],
    [
        [
            4661675314584223744,
            13883676112826400924,
            4645357462516400128,
            4605425944686378369,
            4670402318758515443,
        ],
        [
            4652812151352721408,
            13884842379205875768,
            4634415122796773376,
            4605524222221573301,
            4666567598842761762,
        ],
        [
            4656123880375582720,
            13879340555308084017,
            4639165013028765696,
            4604487351306472859,
            4667238440822245601,
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
            17342841985497750912,
            10947006913083544294,
        ),
        (
            "scenarios/large_seller.toml",
            2620657084632430487,
            11796209662383281096,
        ),
        (
            "scenarios/small_seller.toml",
            14419319551798800187,
            205620513680829717,
        ),
        (
            "scenarios/managed_price_ladder.toml",
            16753712654334178652,
            6388301022781693365,
        ),
        (
            "scenarios/us_tariff_shock.toml",
            16745582820655677644,
            2518683602017745786,
        ),
        (
            "scenarios/us_beauty_2026_routes.toml",
            10937216736564770087,
            1843860449650012525,
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

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
            4657324547073114112,
            13892394416806604896,
            4643140847074803712,
            4605134621557891220,
            4672302071682482961,
        ],
        [
            4659503779119366144,
            13894172651034511544,
            4644917657865289728,
            4606371253681276757,
            4675426362801916663,
        ],
        [
            4661034299305230336,
            13889988118844964648,
            4644952842237378560,
            4606018161581719224,
            4675217751331546240,
        ],
    ],
    [
        [
            4658065617910235136,
            13892035399254986689,
            4642859372098093056,
            4606975629505873938,
            4675076249465431342,
        ],
        [
            4659453201584488448,
            13893604973910836617,
            4644794512562978816,
            4607155024641700069,
            4676486847457635602,
        ],
        [
            4661126658281963520,
            13888531133633761399,
            4644829696935067648,
            4607142337320021033,
            4675655483427855855,
        ],
    ],
    [
        [
            4658067816933490688,
            13890789848622002186,
            4642789003353915392,
            4607121421965335189,
            4674875933106472790,
        ],
        [
            4659453201584488448,
            13891705959648726080,
            4644794512562978816,
            4607179679384185674,
            4676161941569194851,
        ],
        [
            4661128857305219072,
            13880495478947966498,
            4644847289121112064,
            4607171287807364490,
            4675281370924148472,
        ],
    ],
    [
        [
            4661634632653996032,
            13885533796916681711,
            4646958351446441984,
            4605567501856092533,
            4671633533444653813,
        ],
        [
            4653379499352653824,
            13886066566653564231,
            4639129828656676864,
            4606734160050170267,
            4667939848745457990,
        ],
        [
            4656123880375582720,
            13880129453101361321,
            4640185359819341824,
            4606340801231857882,
            4668222438118178993,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4657324547073114112,
            13892159948688219908,
            4642542712749293568,
            4605235651402853803,
            4672282571669500475,
        ],
        [
            4659501580096110592,
            13894204784886468674,
            4644952842237378560,
            4606223974381133240,
            4675446907851746819,
        ],
        [
            4661027702235463680,
            13889826514733336569,
            4644741736004845568,
            4605987931859491465,
            4675234602831291647,
        ],
    ],
    [
        [
            4658067816933490688,
            13891929902769452070,
            4642648265865560064,
            4607009594435084454,
            4675078605493656788,
        ],
        [
            4659453201584488448,
            13893696909089927627,
            4645023210981556224,
            4607171461136690472,
            4676487385632794978,
        ],
        [
            4661133255351730176,
            13888587997201696988,
            4644917657865289728,
            4607146817221935428,
            4675680569177502238,
        ],
    ],
    [
        [
            4658070015956746240,
            13890713880655197488,
            4642683450237648896,
            4607118057466493497,
            4674879609202451328,
        ],
        [
            4659453201584488448,
            13891888466612489658,
            4645023210981556224,
            4607182418800017408,
            4676164185852300332,
        ],
        [
            4661135454374985728,
            13880589840777238798,
            4644935250051334144,
            4607173520603667948,
            4675309549613016261,
        ],
    ],
    [
        [
            4661636831677251584,
            13885193611360178208,
            4646430585865109504,
            4605620686671171188,
            4671620830866692184,
        ],
        [
            4653379499352653824,
            13885953673399566315,
            4638813169307877376,
            4606636103448641205,
            4667885915966692340,
        ],
        [
            4656123880375582720,
            13879101631299727683,
            4639340934889209856,
            4606307703911761721,
            4668192331572385150,
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
            8594064018747582272,
            10150120302693830106,
        ),
        (
            "scenarios/large_seller.toml",
            15714037787147441961,
            14984436845816378979,
        ),
        (
            "scenarios/small_seller.toml",
            12332238704636865094,
            16965775998441913987,
        ),
        (
            "scenarios/managed_price_ladder.toml",
            7801667165304096544,
            101045846286046919,
        ),
        (
            "scenarios/us_tariff_shock.toml",
            11633092307794083547,
            15764613518531536803,
        ),
        (
            "scenarios/us_beauty_2026_routes.toml",
            16825996793537895960,
            412282849547511032,
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

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
            4657687385910280192,
            13894288268570148219,
            4643668612656136192,
            4606130430163740772,
            4667788094940084688,
        ],
        [
            4654905621492006912,
            13893745340437613460,
            4637370610052235264,
            4604489089611099758,
            4667965350906930436,
        ],
        [
            4656374569026715648,
            13893269490146034567,
            4640255728563519488,
            4604276426379909840,
            4668667802002262015,
        ],
    ],
    [
        [
            4658081011073024000,
            13891969546983461221,
            4643703797028225024,
            4607138448244136209,
            4672453385642095257,
        ],
        [
            4655855599538405376,
            13893525590349423223,
            4637722453773123584,
            4606909620985920331,
            4672443589053735531,
        ],
        [
            4657146426189414400,
            13890879839480699116,
            4640396466051874816,
            4606594292193938613,
            4671332297798814281,
        ],
    ],
    [
        [
            4658081011073024000,
            13890963397666725694,
            4643703797028225024,
            4607175654099112608,
            4671871645445278173,
        ],
        [
            4655855599538405376,
            13891862641084659854,
            4637652085028945920,
            4607084991009268452,
            4671731377782640651,
        ],
        [
            4657146426189414400,
            13889187474984274701,
            4640361281679785984,
            4606985033843182744,
            4671031448319289176,
        ],
    ],
    [
        [
            4657115639863836672,
            4661470372859366328,
            4642753818981826560,
            4606456816339802000,
            4670711110432809027,
        ],
        [
            4655516949957050368,
            4641887815044397107,
            4637722453773123584,
            4605220353951072700,
            4669912570868802599,
        ],
        [
            4658525213770645504,
            4670582919463153374,
            4642648265865560064,
            4604724190871851567,
            4667906428631182325,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4657687385910280192,
            13894061418000748392,
            4642964925214359552,
            4606094154693524336,
            4667555649481356081,
        ],
        [
            4654905621492006912,
            13893694015251979677,
            4636807660098813952,
            4604400783736053278,
            4667907774954905606,
        ],
        [
            4656374569026715648,
            13893098948478628187,
            4639763147354275840,
            4604258063078676933,
            4668522926793659244,
        ],
    ],
    [
        [
            4658081011073024000,
            13891798032527921603,
            4643492690795692032,
            4607141830594588609,
            4672417212789766141,
        ],
        [
            4655855599538405376,
            13893486368033744489,
            4637511347540590592,
            4606870649869620748,
            4672420595131400735,
        ],
        [
            4657146426189414400,
            13890973842429308311,
            4640677941028585472,
            4606666800953592163,
            4671419500758232043,
        ],
    ],
    [
        [
            4658081011073024000,
            13890789497270953797,
            4643492690795692032,
            4607172271748660208,
            4671875821091209050,
        ],
        [
            4655855599538405376,
            13891836456223819763,
            4637511347540590592,
            4607094733788343348,
            4671719984114946637,
        ],
        [
            4657146426189414400,
            13889287400117931941,
            4640677941028585472,
            4606985033843182744,
            4671038880629868020,
        ],
    ],
    [
        [
            4657115639863836672,
            4661571517256544546,
            4642437159633027072,
            4606464923629860272,
            4670724652797901034,
        ],
        [
            4655516949957050368,
            4635473869823085583,
            4638285403726544896,
            4605017031168798637,
            4669970150385031398,
        ],
        [
            4658525213770645504,
            4670656989555629708,
            4642155684656316416,
            4604787222357189153,
            4667906767150835402,
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
    let pinned: [(&str, u64, u64); 5] = [
        (
            "scenarios/th_apparel_2026.toml",
            13364961786424942046,
            879208977791832987,
        ),
        (
            "scenarios/large_seller.toml",
            14359598990542077236,
            10391723414441304847,
        ),
        (
            "scenarios/small_seller.toml",
            13734268626167506402,
            10087919262068147941,
        ),
        (
            "scenarios/us_tariff_shock.toml",
            12566077207599611176,
            16733029173811073685,
        ),
        (
            "scenarios/us_beauty_2026_routes.toml",
            8898321779293622390,
            5606830382552769877,
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

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
            13885717578934911298,
            4644020456377024512,
            4605447622604882320,
            4668041036361460974,
        ],
        [
            4656838562933637120,
            13887224313182626961,
            4641276075354095616,
            4604011052828651171,
            4668078569347817950,
        ],
        [
            4655895181957005312,
            13890255771017117577,
            4642331606516760576,
            4605103081655386815,
            4669737262119038964,
        ],
    ],
    [
        [
            4658501024514834432,
            13889479569457406237,
            4642331606516760576,
            4607150880987500808,
            4672202222151304371,
        ],
        [
            4657399313863802880,
            13889734903347550519,
            4639340934889209856,
            4606975708744872481,
            4671689246520505240,
        ],
        [
            4656785786375503872,
            13891717485669717814,
            4640889047261118464,
            4607143332593029622,
            4672095804613805214,
        ],
    ],
    [
        [
            4657632410328891392,
            4656533603158311131,
            4643475098609647616,
            4605419104660200388,
            4671383700307421220,
        ],
        [
            4657344338282414080,
            13880821160928205279,
            4642050131540049920,
            4603893580216976682,
            4671168611617449818,
        ],
        [
            4659853423816998912,
            4670358480588246003,
            4646113926516310016,
            4604906998708566231,
            4671231934122011624,
        ],
    ],
    [
        [
            4658105200328835072,
            4658512831404855681,
            4641663103447072768,
            4607148772183451323,
            4671192920451077228,
        ],
        [
            4657643405445169152,
            13880392640930836320,
            4639763147354275840,
            4606985100844741135,
            4670764804174124570,
        ],
        [
            4660222859723931648,
            4671010507616218900,
            4644389892283957248,
            4607137804164193154,
            4670852812086588115,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4657995249166057472,
            13885215606886925607,
            4643738981400313856,
            4605488845484766718,
            4668000097823422423,
        ],
        [
            4656838562933637120,
            13886850118678249545,
            4640677941028585472,
            4603807426871473284,
            4668014496158174519,
        ],
        [
            4655895181957005312,
            13889985170667195399,
            4641592734702895104,
            4604966090031740564,
            4669572412672676987,
        ],
    ],
    [
        [
            4658501024514834432,
            13889385093314952415,
            4642050131540049920,
            4607157188550004128,
            4672172710241276128,
        ],
        [
            4657399313863802880,
            13889709604840894318,
            4639270566145032192,
            4607033128204634961,
            4671679920832859582,
        ],
        [
            4656785786375503872,
            13891578536892728883,
            4640431650423963648,
            4607152018416804685,
            4672092944191925392,
        ],
    ],
    [
        [
            4657632410328891392,
            4656890378333194663,
            4643299176749203456,
            4605470427732876975,
            4671399695029195718,
        ],
        [
            4657344338282414080,
            13880686188316339453,
            4641698287819161600,
            4603663127157119909,
            4671158392545127106,
        ],
        [
            4659853423816998912,
            4670451474607778159,
            4645762082795421696,
            4604788897319736585,
            4671252067939471715,
        ],
    ],
    [
        [
            4658105200328835072,
            4658547384251529952,
            4641627919074983936,
            4607172324815047582,
            4671217098229007567,
        ],
        [
            4657643405445169152,
            13880046683267208575,
            4639411303633387520,
            4607043565424082253,
            4670736422497953016,
        ],
        [
            4660222859723931648,
            4670996371926382234,
            4644460261028134912,
            4607140282755072280,
            4670872865284146917,
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
            7470595724117491601,
            15905757721607332437,
        ),
        (
            "scenarios/large_seller.toml",
            3601744952045342546,
            7496892346993026709,
        ),
        (
            "scenarios/small_seller.toml",
            12151503512289991812,
            11361628017973224123,
        ),
        (
            "scenarios/us_beauty_black_friday.toml",
            10400525589537272172,
            15320770170279327178,
        ),
        (
            "scenarios/us_referral_fee.toml",
            233452197720828606,
            18383308529172556095,
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

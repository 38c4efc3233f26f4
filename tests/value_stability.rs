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
            4659589541026332672,
            13898110232772258751,
            4645973189027954688,
            4606033307930051945,
            4676060823252844208,
        ],
        [
            4656972703352225792,
            13897426667090406680,
            4639165013028765696,
            4605873573225860523,
            4675297632737771838,
        ],
        [
            4660733033119219712,
            13895978902841569191,
            4643615836098002944,
            4606290086333756208,
            4676330484062035683,
        ],
    ],
    [
        [
            4659466395724021760,
            13896402456894881106,
            4645779674981466112,
            4607133184185202547,
            4676466643525953548,
        ],
        [
            4657423503119613952,
            13896043359994353246,
            4639376119261298688,
            4607125290686350975,
            4676172541231038168,
        ],
        [
            4661440019095879680,
            13894081381835833244,
            4643932495446802432,
            4607161413204740493,
            4676920840428456556,
        ],
    ],
    [
        [
            4659466395724021760,
            13895680118544116519,
            4645779674981466112,
            4607171477774502994,
            4676243607337795497,
        ],
        [
            4657425702142869504,
            13895268584279085309,
            4638883538052055040,
            4607174804937587365,
            4675782743601417971,
        ],
        [
            4661440019095879680,
            13893792346264401922,
            4643932495446802432,
            4607178217680962025,
            4676699265247580439,
        ],
    ],
    [
        [
            4659809443351887872,
            4640869267653392644,
            4646061149958176768,
            4606469054890372995,
            4669894695061405453,
        ],
        [
            4658885853584556032,
            13886204747122149644,
            4640783494144851968,
            4606309408749855612,
            4670630438178727783,
        ],
        [
            4656858354142937088,
            13883918184903937873,
            4639481672377565184,
            4606485611263936354,
            4666514526011971830,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4659598337119354880,
            13897929110707740965,
            4645480607818711040,
            4606077686214610500,
            4676059819554612784,
        ],
        [
            4656972703352225792,
            13897511054563889582,
            4639727962982187008,
            4605723035076756217,
            4675294156080511989,
        ],
        [
            4660733033119219712,
            13895750625164494576,
            4642753818981826560,
            4606255138587035795,
            4676314336603827361,
        ],
    ],
    [
        [
            4659453201584488448,
            13896248317394559833,
            4645234317214089216,
            4607135834562922611,
            4676475697453386766,
        ],
        [
            4657423503119613952,
            13896037552477352707,
            4639340934889209856,
            4607121482145439879,
            4676153126678555868,
        ],
        [
            4661440019095879680,
            13894066278244684994,
            4643914903260758016,
            4607159312645212802,
            4676959725225546407,
        ],
    ],
    [
        [
            4659453201584488448,
            13895528253679297028,
            4645234317214089216,
            4607165977304572186,
            4676246484420310608,
        ],
        [
            4657423503119613952,
            13895336583008550539,
            4639305750517121024,
            4607174801718195217,
            4675768418762838436,
        ],
        [
            4661440019095879680,
            13893776266856684022,
            4643914903260758016,
            4607174016561906642,
            4676714734632091926,
        ],
    ],
    [
        [
            4659809443351887872,
            4647971650689518080,
            4645498200004755456,
            4606450763508074421,
            4669891536622580799,
        ],
        [
            4658885853584556032,
            13886514041294874836,
            4641839025307516928,
            4606118717134803206,
            4670644346324775012,
        ],
        [
            4656858354142937088,
            13883592404597859839,
            4638953906796232704,
            4606489886156795747,
            4666489032488207590,
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
            11970211315176712843,
            13854632724019178874,
        ),
        (
            "scenarios/large_seller.toml",
            2063675691589028602,
            11379356648095757334,
        ),
        (
            "scenarios/small_seller.toml",
            1860431393403715081,
            6158275059165557538,
        ),
        (
            "scenarios/managed_price_ladder.toml",
            7011158835539899372,
            7840963575986977923,
        ),
        (
            "scenarios/us_tariff_shock.toml",
            16689618141310985115,
            3753038636077983030,
        ),
        (
            "scenarios/us_beauty_2026_routes.toml",
            17434545575772423880,
            9998057822257610477,
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

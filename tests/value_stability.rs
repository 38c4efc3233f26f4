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
            4658591184468312064,
            13898838366605141092,
            4643879718888669184,
            4606379981849836753,
            4676382243905552303,
        ],
        [
            4657777545863757824,
            13899372055798196677,
            4642155684656316416,
            4604933296512864485,
            4677098818360268567,
        ],
        [
            4656568083073204224,
            13899234216299961482,
            4638953906796232704,
            4605464620439902052,
            4676626955355134151,
        ],
    ],
    [
        [
            4658087608142790656,
            13898600296853921835,
            4643263992377114624,
            4607172290764873396,
            4677073256177494387,
        ],
        [
            4658054622793957376,
            13898860674052238102,
            4640959416005296128,
            4606869951857545247,
            4677474219249809929,
        ],
        [
            4656807776608059392,
            13899103505665398886,
            4638496509959077888,
            4607035468332329695,
            4677129793245189737,
        ],
    ],
    [
        [
            4658089807166046208,
            13898547836932366117,
            4643263992377114624,
            4607179044053200345,
            4676950840220987856,
        ],
        [
            4658054622793957376,
            13898021834744464231,
            4640853862889029632,
            4607066941886495088,
            4676720721431617257,
        ],
        [
            4656807776608059392,
            13898736876877774199,
            4638496509959077888,
            4607139198074226904,
            4676712937763458908,
        ],
    ],
    [
        [
            4654369059817652224,
            13883642851437625844,
            4639376119261298688,
            4606664147414327946,
            4667880014003938915,
        ],
        [
            4660719838979686400,
            13885551767736833719,
            4644741736004845568,
            4605343643408116915,
            4670187103426212873,
        ],
        [
            4653753333306097664,
            13883556431471426312,
            4635681760191971328,
            4605849485283931195,
            4667179626758853680,
        ],
    ],
];

const PER_BIN: [[[u64; 5]; 3]; 4] = [
    [
        [
            4658591184468312064,
            13898831101165494721,
            4643809350144491520,
            4606205809488557231,
            4676367383566099954,
        ],
        [
            4657786341956780032,
            13899335325209804340,
            4641733472191250432,
            4604943985427648060,
            4677059633633536130,
        ],
        [
            4656572481119715328,
            13899194804485752247,
            4638426141214900224,
            4605663240482601013,
            4676590840954352309,
        ],
    ],
    [
        [
            4658098603259068416,
            13898643138141427918,
            4643545467353825280,
            4607179049103326521,
            4677110918407883222,
        ],
        [
            4658065617910235136,
            13898872810410630422,
            4641170522237829120,
            4606884099818302238,
            4677495155606528312,
        ],
        [
            4656807776608059392,
            13899060341864104440,
            4637370610052235264,
            4607039790404908745,
            4677081214008507914,
        ],
    ],
    [
        [
            4658100802282323968,
            13898593355875522017,
            4643563059539869696,
            4607182418800017408,
            4676989429255314752,
        ],
        [
            4658061219863724032,
            13898072480932605919,
            4641205706609917952,
            4607087427621436335,
            4676717154376000795,
        ],
        [
            4656807776608059392,
            13898695060861159223,
            4637370610052235264,
            4607143520146805955,
            4676664919332938747,
        ],
    ],
    [
        [
            4654369059817652224,
            13883674132107248942,
            4639411303633387520,
            4606455647431579312,
            4667886974658223943,
        ],
        [
            4660719838979686400,
            13885436588204015859,
            4644548221958356992,
            4605271305797521845,
            4670085414235371894,
        ],
        [
            4653753333306097664,
            13883534318417307144,
            4635470653959438336,
            4606106833834066652,
            4667181210305427882,
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
            8587000533204533661,
            10026509169037285012,
        ),
        (
            "scenarios/large_seller.toml",
            16420081595133067792,
            16613393735976793409,
        ),
        (
            "scenarios/small_seller.toml",
            6107785390295441137,
            1860063225357142659,
        ),
        (
            "scenarios/managed_price_ladder.toml",
            4743533163331974277,
            1515867427177232900,
        ),
        (
            "scenarios/us_tariff_shock.toml",
            14664184479138943362,
            1147857333004215551,
        ),
        (
            "scenarios/us_beauty_2026_routes.toml",
            3057142320996541673,
            12903144706352339575,
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

//! A small self-contained PRNG (splitmix64), so the demo data depends on nothing but its
//! arguments: no `rand` crate, no version drift, the same `(now, seed)` gives the same rows on
//! every machine. Not for anything secret.

/// The splitmix64 finaliser: a bijection on `u64`, so distinct inputs give distinct outputs.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a label: names independent random streams.
pub(crate) fn fnv1a(label: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A uuid-like string (8-4-4-4-12 hex digits) that is distinct for distinct `id`s under the
/// same `(seed, label)`: the first 64 bits are a bijection of `id`, so uniqueness per table is
/// guaranteed, not just likely.
pub(crate) fn uuid_like(seed: u64, label: &str, id: i64) -> String {
    let key = mix(seed ^ fnv1a(label));
    let hi = mix(key ^ (id as u64));
    let lo = mix(hi ^ key.rotate_left(17));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// A UUIDv7-style string: the first 48 bits are `ms` (milliseconds since the epoch), so ids of
/// later events sort later (as the platform's newer ids do, and index inserts stay local), then
/// the version nibble 7 and 74 bits of which 64 are a bijection of `id` under `(seed, label)`:
/// distinct `id`s give distinct strings whatever their times.
pub(crate) fn uuid_v7_like(seed: u64, label: &str, id: i64, ms: i64) -> String {
    let key = mix(seed ^ fnv1a(label));
    let b = mix(key ^ (id as u64));
    let extra = mix(b ^ key.rotate_left(23));
    let ms = (ms.max(0) as u64) & 0xffff_ffff_ffff;
    format!(
        "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
        ms >> 16,
        ms & 0xffff,
        b >> 52,
        0x8000 | ((extra & 0x3ff) << 4) | ((b >> 48) & 0xf),
        b & 0xffff_ffff_ffff
    )
}

/// splitmix64: one `u64` of state, good statistical quality for data generation.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent stream named `label`: adding draws to one stream never shifts another.
    pub(crate) fn derive(seed: u64, label: &str) -> Self {
        Self::new(mix(seed ^ fnv1a(label)))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.state)
    }

    /// Uniform in `0..n`; 0 when `n` is 0.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`; `lo` when the range is empty.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `pct` percent.
    pub(crate) fn pct(&mut self, pct: u32) -> bool {
        self.below(100) < u64::from(pct)
    }

    /// One element of a non-empty array.
    pub(crate) fn one_of<T: Copy, const N: usize>(&mut self, items: &[T; N]) -> T {
        const { assert!(N > 0) };
        items[self.below(N as u64) as usize]
    }

    /// One of `(item, weight)` pairs, drawn with the weights (the first when all are 0).
    pub(crate) fn choose<T: Copy, const N: usize>(&mut self, items: &[(T, u32); N]) -> T {
        const { assert!(N > 0) };
        let weights: [u32; N] = std::array::from_fn(|i| items[i].1);
        items[self.weighted(&weights).min(N - 1)].0
    }

    /// One element of a slice, `None` when it is empty.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// An index drawn with the given weights (index 0 when they are all 0).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if x < w {
                return i;
            }
            x -= w;
        }
        0
    }

    /// A Poisson-distributed count with the given mean (Knuth's method; small means only).
    pub(crate) fn poisson(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        let limit = (-mean).exp();
        let mut k = 0u32;
        let mut p = self.unit();
        while p > limit && k < 64 {
            k += 1;
            p *= self.unit();
        }
        k
    }

    /// Fisher–Yates.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let stream = |seed| {
            let mut r = Rng::new(seed);
            (0..100).map(|_| r.next_u64()).collect::<Vec<u64>>()
        };
        assert_eq!(stream(42), stream(42));
        assert_ne!(stream(42)[0], stream(43)[0]);
    }

    #[test]
    fn splitmix_reference_values() {
        // Reference output of splitmix64 seeded with 0 (as in the public-domain C version).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn v7_ids_are_unique_and_sort_by_time() {
        let mut seen = std::collections::BTreeSet::new();
        for id in 0..20_000 {
            // Many ids share a millisecond: uniqueness comes from the id alone.
            let u = uuid_v7_like(9, "participant", id, 1_700_000_000_000 + id / 100);
            assert_eq!(u.len(), 36);
            assert_eq!(u.as_bytes()[14], b'7', "{u}");
            assert!(matches!(u.as_bytes()[19], b'8'..=b'b'), "{u}");
            assert!(seen.insert(u));
        }
        let a = uuid_v7_like(9, "participant", 5, 1_700_000_000_000);
        let b = uuid_v7_like(9, "participant", 4, 1_700_000_001_000);
        assert!(a < b, "{a} {b}");
    }

    #[test]
    fn derived_streams_differ() {
        let mut a = Rng::derive(7, "participants");
        let mut b = Rng::derive(7, "meetings");
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn bounded_draws_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            let x = r.range(-3, 9);
            assert!((-3..=9).contains(&x));
            assert!(r.below(7) < 7);
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.range(5, 5), 5);
        assert_eq!(r.range(5, 2), 5);
        assert_eq!(r.below(0), 0);
        assert!(r.pick::<u8>(&[]).is_none());
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut r = Rng::new(9);
        for _ in 0..1000 {
            assert_eq!(r.weighted(&[0, 5, 0]), 1);
        }
    }

    #[test]
    fn uuid_like_is_unique_and_well_formed() {
        let ids: std::collections::BTreeSet<String> = (1..=5000)
            .map(|i| uuid_like(42, "participant", i))
            .collect();
        assert_eq!(ids.len(), 5000);
        let one = uuid_like(42, "participant", 1);
        let parts: Vec<usize> = one.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert_eq!(one, uuid_like(42, "participant", 1));
        assert_ne!(one, uuid_like(43, "participant", 1));
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut r = Rng::new(3);
        let mut v: Vec<u32> = (0..50).collect();
        r.shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<u32>>());
    }
}

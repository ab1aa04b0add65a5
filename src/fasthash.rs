//! A fast hasher for the maps of the read path and the KPIs, whose keys are short
//! texts and small numbers from the inputs (identifiers, course names, units).
//!
//! The standard `HashMap` hashes with SipHash, which resists hash flooding by crafted
//! keys; an input file cannot choose what a run's maps hold in a way that matters
//! here (a slow run at worst), and SipHash is several times slower on short keys. This
//! is the multiply-rotate hash of rustc's FxHasher, with a finaliser. Bottom layer: imports nothing of
//! the crate.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: each word of input rotated into the state and multiplied by a constant.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while let Some((chunk, rest)) = bytes.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*chunk));
            bytes = rest;
        }
        if let Some((chunk, rest)) = bytes.split_first_chunk::<4>() {
            self.add(u64::from(u32::from_le_bytes(*chunk)));
            bytes = rest;
        }
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The state's bits mixed down (MurmurHash3's finaliser): the table indexes by the
    /// low bits and tags by the top ones, and a bare product leaves both weak for keys
    /// that differ in their last characters (E1043, E1044), so that lookups of a large
    /// roster compared many keys byte by byte.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;
/// A `HashSet` with [`FxHasher`].
pub type FxHashSet<T> = HashSet<T, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_maps_find_them() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(
            hash("anna.andersson@stad.se"),
            hash("anna.andersson@stad.se")
        );
        assert_ne!(hash("E1043"), hash("E1044"));
        assert_ne!(hash("abcdefghi"), hash("abcdefghj"));
        let mut map: FxHashMap<String, usize> = FxHashMap::default();
        map.insert("Informationssäkerhet grund".to_string(), 1);
        map.insert("GDPR".to_string(), 2);
        assert_eq!(map.get("GDPR"), Some(&2));
        assert_eq!(map.get("Informationssäkerhet grund"), Some(&1));
        assert_eq!(map.get("gdpr"), None);
    }
}

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
use std::sync::Arc;

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

/// How many distinct texts a [`TextMemo`] remembers by content unless told otherwise: a
/// column of unique values (titles) stops being remembered, so memory stays bounded by
/// what repeats.
pub const TEXT_MEMO_LIMIT: usize = 4096;

/// What each distinct text of a sheet is (its screened form, a status, a course's
/// mandatory index, a text's index in a table), asked for on every row. A text repeated
/// down a column is mostly one shared `Arc` (an xlsx shared string, a CSV column's
/// interned value): it is found by address in a small table first, without hashing or
/// comparing the text; other texts by their content.
pub struct TextMemo<V> {
    /// Direct-mapped by the text's address; an entry holds the `Arc`, so its address
    /// cannot be reused by another text while it is there.
    by_address: Vec<Option<(Arc<str>, V)>>,
    by_text: FxHashMap<Arc<str>, V>,
    limit: usize,
}

const ADDRESS_SLOTS: usize = 64;

impl<V> Default for TextMemo<V> {
    fn default() -> Self {
        TextMemo::bounded(TEXT_MEMO_LIMIT)
    }
}

impl<V> TextMemo<V> {
    /// A memo of at most `limit` texts by content.
    pub fn bounded(limit: usize) -> Self {
        TextMemo {
            by_address: Vec::new(),
            by_text: FxHashMap::default(),
            limit,
        }
    }
}

impl<V: Clone> TextMemo<V> {
    fn slot(cell: &Arc<str>) -> usize {
        // Allocations are 16-byte aligned: the low bits say nothing.
        (Arc::as_ptr(cell) as *const u8 as usize >> 4) % ADDRESS_SLOTS
    }

    /// The value remembered for the text `cell`, which is `text` once trimmed (`text`
    /// is the key by content).
    pub fn get(&mut self, cell: &Arc<str>, text: &str) -> Option<V> {
        let slot = TextMemo::<V>::slot(cell);
        if let Some(Some((held, value))) = self.by_address.get(slot) {
            if Arc::ptr_eq(held, cell) {
                return Some(value.clone());
            }
        }
        let value = self.by_text.get(text)?.clone();
        self.hold(slot, cell, value.clone());
        Some(value)
    }

    /// Remembers the value of `cell` (`text` once trimmed), by content within the limit.
    pub fn insert(&mut self, cell: &Arc<str>, text: &str, value: V) {
        self.hold(TextMemo::<V>::slot(cell), cell, value.clone());
        if self.by_text.len() < self.limit {
            // The cell's own text when nothing was trimmed (no copy).
            let key = if text.len() == cell.len() {
                Arc::clone(cell)
            } else {
                Arc::from(text)
            };
            self.by_text.insert(key, value);
        }
    }

    fn hold(&mut self, slot: usize, cell: &Arc<str>, value: V) {
        if self.by_address.is_empty() {
            self.by_address.resize_with(ADDRESS_SLOTS, || None);
        }
        self.by_address[slot] = Some((Arc::clone(cell), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_memo_finds_a_text_by_address_and_by_content() {
        let mut memo: TextMemo<usize> = TextMemo::bounded(2);
        let first: Arc<str> = Arc::from(" Säkerhet – grundkurs ");
        assert_eq!(memo.get(&first, first.trim()), None);
        memo.insert(&first, first.trim(), 7);
        assert_eq!(memo.get(&first, first.trim()), Some(7));
        // The same text in another allocation (a CSV row, another sheet), trimmed.
        let again: Arc<str> = Arc::from("Säkerhet – grundkurs");
        assert_eq!(memo.get(&again, &again), Some(7));
        // Another text is not mistaken for it, whatever slot its address falls in.
        let other: Arc<str> = Arc::from("Dataskydd för chefer");
        assert_eq!(memo.get(&other, &other), None);
        memo.insert(&other, &other, 8);
        // Beyond the bound a text is still answered by address while it is held, but
        // not remembered by content.
        let third: Arc<str> = Arc::from("Informationsklassning");
        memo.insert(&third, &third, 9);
        assert_eq!(memo.get(&third, &third), Some(9));
        let third_copy: Arc<str> = Arc::from("Informationsklassning");
        assert_eq!(memo.get(&third_copy, &third_copy), None);
        assert_eq!(memo.get(&again, "Säkerhet – grundkurs"), Some(7));
        assert_eq!(memo.get(&other, &other), Some(8));
    }

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

//! Node collections: ordered sets of global node ids (1-based, as in NEST), stored as ranges.

use crate::error::{Error, ErrorKind, Result};

/// An ordered collection of node ids. Contiguous runs are stored as one range, so a population of
/// a million neurons costs two integers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeCollection {
    /// Inclusive ranges `(first, last)` in order.
    ranges: Vec<(u32, u32)>,
    len: usize,
}

impl NodeCollection {
    /// The ids `first ..= first + n - 1`.
    pub fn range(first: u32, n: usize) -> Self {
        if n == 0 {
            return Self::default();
        }
        NodeCollection { ranges: vec![(first, first + n as u32 - 1)], len: n }
    }
    /// A collection of the given ids, in the given order.
    pub fn from_ids(ids: &[u32]) -> Self {
        let mut c = Self::default();
        for &id in ids {
            c.push(id);
        }
        c
    }
    fn push(&mut self, id: u32) {
        if let Some(last) = self.ranges.last_mut() {
            if last.1.checked_add(1) == Some(id) {
                last.1 = id;
                self.len += 1;
                return;
            }
        }
        self.ranges.push((id, id));
        self.len += 1;
    }
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.len
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The ids in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.ranges.iter().flat_map(|&(a, b)| a..=b)
    }
    /// The ids as a vector.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
    /// The `i`-th id (0-based).
    pub fn get(&self, mut i: usize) -> Result<u32> {
        for &(a, b) in &self.ranges {
            let n = (b - a + 1) as usize;
            if i < n {
                return Ok(a + i as u32);
            }
            i -= n;
        }
        Err(Error::new(
            ErrorKind::RangeCheck,
            format!("index {} out of range for a node collection of size {}", i, self.len),
        ))
    }
    /// Elements `start..end` taking every `step`-th (0-based, end exclusive), like NEST's slicing.
    pub fn slice(&self, start: usize, end: usize, step: usize) -> Result<Self> {
        if start > end || end > self.len || step == 0 {
            return Err(Error::new(
                ErrorKind::RangeCheck,
                format!("slice [{start}:{end}:{step}] is invalid for a node collection of size {}", self.len),
            ));
        }
        let ids: Vec<u32> = self.iter().skip(start).take(end - start).step_by(step).collect();
        Ok(Self::from_ids(&ids))
    }
    /// The union in order of `self` followed by `other`.
    pub fn join(&self, other: &NodeCollection) -> Self {
        let mut c = self.clone();
        for id in other.iter() {
            c.push(id);
        }
        c
    }
    /// Whether `id` is in the collection.
    pub fn contains(&self, id: u32) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= id && id <= b)
    }
    /// The first id, if any.
    pub fn first(&self) -> Option<u32> {
        self.ranges.first().map(|r| r.0)
    }
    /// The contiguous runs.
    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.ranges
    }
}

impl std::fmt::Display for NodeCollection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeCollection(")?;
        for (i, (a, b)) in self.ranges.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}..{b}")?;
            }
        }
        write!(f, ")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn ranges_merge_and_slice() {
        let c = NodeCollection::from_ids(&[1, 2, 3, 7, 8]);
        assert_eq!(c.ranges().len(), 2);
        assert_eq!(c.len(), 5);
        assert_eq!(c.get(3).unwrap(), 7);
        assert_eq!(c.slice(1, 5, 2).unwrap().to_vec(), vec![2, 7]);
        assert!(c.get(5).is_err());
    }
}

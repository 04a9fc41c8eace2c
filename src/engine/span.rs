//! A byte range stored in half the space of a `Range<usize>`.
//!
//! A vault holds a few spans per list item and link, hundreds of thousands
//! of them on a large vault. Notes are far below 4 GiB (kith does not read
//! files over `max-file-size`), so `u32` offsets suffice; anything past that
//! saturates instead of wrapping.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: narrow(start), end: narrow(end) }
    }

    /// The byte range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// As a `Range<u32>` (indexes stored compactly).
    pub fn range32(self) -> Range<u32> {
        self.start..self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        self.range().contains(&offset)
    }
}

fn narrow(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

impl From<Span> for Range<usize> {
    fn from(span: Span) -> Range<usize> {
        span.range()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_saturates() {
        assert_eq!(Span::from(3..9).range(), 3..9);
        assert_eq!(Span::new(1, usize::MAX).end, u32::MAX);
        assert!(Span::new(4, 4).is_empty());
        assert_eq!(Span::new(2, 5).len(), 3);
    }
}

//! Atomic writes: see `write`.

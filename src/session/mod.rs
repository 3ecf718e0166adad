//! A session: an exercise and its journal, the append-only record of every
//! input from which the exercise can be rebuilt and checked.

pub mod journal;

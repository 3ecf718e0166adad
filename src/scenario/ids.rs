//! Typed ids: every reference in a scenario is one of these, never a bare string.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as written in the scenario.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    )*};
}

id_type! {
    /// The id of a scenario (kebab-case).
    ScenarioId,
    /// The id of an actor: a State, Company, Cert or Organisation.
    ActorId,
    /// The id of an infrastructure asset.
    AssetId,
    /// The id of an inject; its incident is named by it too.
    InjectId,
    /// The id of a response an actor may choose.
    ResponseId,
    /// The id of a norm framework, e.g. `un-gge-2015`.
    FrameworkId,
    /// The id of a norm, e.g. `gge-13b`.
    NormId,
    /// The name of an incident: an inject id, or `inject-id#n` for the n-th
    /// incident of a repeating inject.
    IncidentRef,
}

impl IncidentRef {
    /// Splits `inject#n` into the inject id and the occurrence (1 when there is
    /// no suffix). `None` when the suffix is not a whole number of at least 2.
    pub fn split(&self) -> Option<(&str, u32)> {
        match self.0.rsplit_once('#') {
            None => Some((&self.0, 1)),
            Some((inject, n)) => match n.parse::<u32>() {
                Ok(n) if n >= 2 => Some((inject, n)),
                _ => None,
            },
        }
    }
}

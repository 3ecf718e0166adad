//! The infrastructure as a graph: assets are nodes (in scenario order, so node
//! `i` is asset `i`), dependencies are edges `from → on`. Ids are resolved to
//! indices here, once. Also the GraphViz export of `cyberttx graph`.

use crate::scenario::ids::AssetId;
use crate::scenario::{Scenario, Sector};
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A dependency as the graph keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    /// Share of the dependent's service lost when the provider delivers nothing.
    pub weight: f64,
    /// Ticks the dependent rides out a loss.
    pub backup: u32,
}

/// The dependency network of a scenario.
#[derive(Clone, Debug)]
pub struct Network {
    /// Node weight: the asset's index in the scenario; edge `a → b`: a depends on b.
    pub graph: DiGraph<usize, Link>,
    index: BTreeMap<AssetId, NodeIndex>,
}

impl Network {
    /// Builds the graph of a validated scenario. (Dependencies whose ends are
    /// unknown are skipped; validation reports them.)
    pub fn build(s: &Scenario) -> Network {
        let mut graph = DiGraph::with_capacity(s.assets.len(), s.dependencies.len());
        let mut index = BTreeMap::new();
        for (i, a) in s.assets.iter().enumerate() {
            let n = graph.add_node(i);
            index.entry(a.id.clone()).or_insert(n);
        }
        for d in &s.dependencies {
            if let (Some(&from), Some(&on)) = (index.get(&d.from), index.get(&d.on)) {
                graph.add_edge(
                    from,
                    on,
                    Link {
                        weight: d.weight,
                        backup: d.backup,
                    },
                );
            }
        }
        Network { graph, index }
    }

    /// The node of an asset.
    pub fn node(&self, id: &AssetId) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// GraphViz DOT: nodes coloured by sector and labelled with operator and
    /// population, critical assets with a double border, arrows in the
    /// direction service flows (provider → dependent) labelled with weight
    /// and backup.
    pub fn to_dot(&self, s: &Scenario) -> String {
        let node_attrs = |_, (_, &i): (NodeIndex, &usize)| {
            let Some(a) = s.assets.get(i) else {
                return String::new();
            };
            let mut label = format!(
                "{}\n{} · {}",
                a.name,
                a.id,
                operator_name(s, a.operator.as_str())
            );
            if a.population > 0 {
                let _ = write!(label, "\npopulation {}", thousands(a.population));
            }
            if a.critical {
                label.push_str("\n★ critical infrastructure");
            }
            format!(
                "label=\"{}\" fillcolor=\"{}\"{}",
                escape(&label),
                sector_colour(a.sector),
                if a.critical {
                    " peripheries=2 penwidth=2"
                } else {
                    ""
                }
            )
        };
        let edge_attrs = |_, e: petgraph::graph::EdgeReference<'_, Link>| {
            let l = e.weight();
            let label = match l.backup {
                0 => format!("{}", l.weight),
                1 => format!("{}, backup 1 tick", l.weight),
                b => format!("{}, backup {b} ticks", l.weight),
            };
            format!("label=\"{}\" dir=back", escape(&label))
        };
        let body = Dot::with_attr_getters(
            &self.graph,
            &[
                Config::NodeNoLabel,
                Config::EdgeNoLabel,
                Config::GraphContentOnly,
            ],
            &edge_attrs,
            &node_attrs,
        );

        let mut out = String::new();
        let _ = writeln!(
            out,
            "// {} ({}): infrastructure dependencies.",
            s.title, s.id
        );
        let _ = writeln!(
            out,
            "// Arrows show service flowing from a provider to the asset that depends on it;"
        );
        let _ = writeln!(
            out,
            "// edge labels: weight (share of service lost), backup ticks."
        );
        let _ = writeln!(out, "// Render with: dot -Tsvg FILE -o network.svg");
        let _ = writeln!(out, "digraph \"{}\" {{", escape(s.id.as_str()));
        let _ = writeln!(out, "    rankdir=BT;");
        let _ = writeln!(
            out,
            "    label=\"{}\"; labelloc=t; fontname=\"Helvetica\";",
            escape(&s.title)
        );
        let _ = writeln!(
            out,
            "    node [shape=box style=\"rounded,filled\" fontname=\"Helvetica\" fontsize=10];"
        );
        let _ = writeln!(out, "    edge [fontname=\"Helvetica\" fontsize=9];");
        let _ = write!(out, "{body:?}");
        let used: Vec<Sector> = Sector::ALL
            .into_iter()
            .filter(|sec| s.assets.iter().any(|a| a.sector == *sec))
            .collect();
        if !used.is_empty() {
            let _ = writeln!(out, "    subgraph cluster_legend {{");
            let _ = writeln!(out, "        label=\"Sectors\"; fontsize=10; style=dashed;");
            for sec in used {
                let _ = writeln!(
                    out,
                    "        \"legend-{sec:?}\" [label=\"{sec:?}\" fillcolor=\"{}\"];",
                    sector_colour(sec)
                );
            }
            let _ = writeln!(out, "    }}");
        }
        out.push_str("}\n");
        out
    }
}

/// The display name of an actor, or the id if there is none.
fn operator_name<'a>(s: &'a Scenario, id: &'a str) -> &'a str {
    s.actors
        .iter()
        .find(|a| a.id.as_str() == id)
        .map_or(id, |a| a.name.as_str())
}

/// A pale colour per sector, readable with black text.
pub fn sector_colour(s: Sector) -> &'static str {
    match s {
        Sector::Energy => "#ffe08a",
        Sector::Water => "#9fd3f5",
        Sector::Health => "#f7a8a8",
        Sector::Telecom => "#c9b3f0",
        Sector::Finance => "#a8e6b0",
        Sector::Transport => "#f5c38f",
        Sector::Government => "#c4c9d4",
        Sector::Elections => "#f0b3d9",
        Sector::InternetCore => "#8fd9cc",
        Sector::Digital => "#b3d1f0",
        Sector::Media => "#e6d9a8",
        Sector::Other => "#e0e0e0",
    }
}

/// Quotes a string for a DOT double-quoted attribute (newlines become `\n`).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

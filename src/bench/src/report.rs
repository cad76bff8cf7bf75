//! Tallies and the printed tables.

use std::collections::BTreeMap;

/// What one decode call gave.
#[derive(Clone)]
pub struct Outcome {
    /// Milliseconds spent in the decode call.
    pub ms: f64,
    /// The payloads found; `None` if the decoder crashed (panic or wasm trap).
    pub payloads: Option<Vec<Vec<u8>>>,
}

/// One judged image.
pub struct Judged {
    pub group: String,
    pub ms: f64,
    pub read: bool,
    /// Something was decoded and none of it is the expected text.
    pub wrong: bool,
    /// The expected text and another, different code.
    pub other: bool,
    pub crashed: bool,
}

#[derive(Default)]
pub struct Tally {
    pub n: usize,
    pub read: usize,
    pub wrong: usize,
    pub other: usize,
    pub crashed: usize,
    pub ms: Vec<f64>,
}

impl Tally {
    pub fn add(&mut self, j: &Judged) {
        self.n += 1;
        self.read += usize::from(j.read);
        self.wrong += usize::from(j.wrong);
        self.other += usize::from(j.other);
        self.crashed += usize::from(j.crashed);
        self.ms.push(j.ms);
    }

    pub fn percent(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            100.0 * self.read as f64 / self.n as f64
        }
    }

    pub fn quantile(&self, q: f64) -> f64 {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return 0.0;
        }
        v[((v.len() - 1) as f64 * q).round() as usize]
    }
}

/// A named subset of groups, printed as a subtotal.
pub type Subtotal<'a> = (&'a str, &'a dyn Fn(&str) -> bool);

/// Prints one decoder's table: every group, then the named subtotals.
pub fn print_table(title: &str, judged: &[Judged], subtotals: &[Subtotal<'_>]) {
    println!("\n== {title} ==");
    println!(
        "{:<30} {:>5} {:>5} {:>7} {:>6} {:>6} {:>6} {:>10} {:>9}",
        "group", "n", "read", "%", "wrong", "other", "crash", "median ms", "p90 ms"
    );
    let mut groups: BTreeMap<&str, Tally> = BTreeMap::new();
    for j in judged {
        groups.entry(j.group.as_str()).or_default().add(j);
    }
    for (name, t) in &groups {
        print_row(name, t);
    }
    for (name, pick) in subtotals {
        let mut t = Tally::default();
        for j in judged.iter().filter(|j| pick(&j.group)) {
            t.add(j);
        }
        if t.n > 0 {
            print_row(&format!("= {name}"), &t);
        }
    }
}

fn print_row(name: &str, t: &Tally) {
    println!(
        "{:<30} {:>5} {:>5} {:>6.1}% {:>6} {:>6} {:>6} {:>10.2} {:>9.2}",
        name,
        t.n,
        t.read,
        t.percent(),
        t.wrong,
        t.other,
        t.crashed,
        t.quantile(0.5),
        t.quantile(0.9)
    );
}

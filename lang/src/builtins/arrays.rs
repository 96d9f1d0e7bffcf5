//! Arrays and the Mathematica-style list operators of SLI.

use crate::bi;
use crate::builtins::control::iter_items;
use crate::builtins::math::compare;
use crate::builtins::stack::counttomark_n;
use crate::eval::{CollectMode, Interp, IterKind, ResultShape, SliErr, R};
use crate::value::{Builtin, Obj, Proc};
use nestor_kernel::NodeCollection;
use std::rc::Rc;

fn open_mark(i: &mut Interp) -> R {
    i.push(Obj::Mark);
    Ok(())
}
fn close_array(i: &mut Interp) -> R {
    let n = counttomark_n(i)?;
    let l = i.ostack.len();
    let v: Vec<Obj> = i.ostack.drain(l - n..).collect();
    i.ostack.pop();
    i.push(Obj::array(v));
    Ok(())
}
fn arraystore(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.int_at(0)?;
    if n < 0 || n as usize + 1 > i.ostack.len() {
        return Err(SliErr::underflow(n.max(0) as usize + 1, i.ostack.len()));
    }
    i.popn(1);
    let l = i.ostack.len();
    let v: Vec<Obj> = i.ostack.drain(l - n as usize..).collect();
    i.push(Obj::array(v));
    Ok(())
}
fn arrayload(i: &mut Interp) -> R {
    i.need(1)?;
    let a = seq_at(i, 0)?;
    i.popn(1);
    let n = a.len() as i64;
    i.ostack.extend(a.iter().cloned());
    i.push(Obj::Int(n));
    Ok(())
}
fn array(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.int_at(0)?;
    if n < 0 {
        return Err(SliErr::range(format!("array: bad size {n}")));
    }
    i.check_size(n as usize)?;
    i.ret(1, Obj::array(vec![Obj::Int(0); n as usize]))
}

/// An array-like operand as a vector: arrays, procedures, node collections.
pub fn seq_at(i: &Interp, k: usize) -> R<Rc<Vec<Obj>>> {
    match i.at(k) {
        Obj::Array(a) => Ok(a.clone()),
        Obj::Proc(p) | Obj::LitProc(p) => Ok(Rc::new(p.items.clone())),
        Obj::Nodes(n) => Ok(Rc::new(n.iter().map(|x| Obj::Int(x as i64)).collect())),
        o => Err(SliErr::arg_type(format!("expected an array, got {}", o.type_name()))),
    }
}

fn length(i: &mut Interp) -> R {
    i.need(1)?;
    let n = match i.at(0) {
        Obj::Array(a) => a.len(),
        Obj::Proc(p) | Obj::LitProc(p) => p.items.len(),
        Obj::Str(s) => s.chars().count(),
        Obj::Dict(d) => d.borrow().len(),
        Obj::Nodes(n) => n.len(),
        Obj::Literal(s) | Obj::Name(s) => s.name().len(),
        o => return Err(SliErr::arg_type(format!("length: not defined for {}", o.type_name()))),
    };
    i.ret(1, Obj::Int(n as i64))
}
fn size(i: &mut Interp) -> R {
    i.need(1)?;
    match i.at(0) {
        Obj::Nodes(n) => {
            let l = n.len() as i64;
            i.ret(1, Obj::Int(l))
        }
        Obj::Array(a) => {
            let l = a.len() as i64;
            i.push(Obj::Int(l));
            Ok(())
        }
        Obj::Str(s) => {
            let l = s.chars().count() as i64;
            i.push(Obj::Int(l));
            Ok(())
        }
        o => Err(SliErr::arg_type(format!("size: not defined for {}", o.type_name()))),
    }
}
fn shape_of(o: &Obj) -> ResultShape {
    match o {
        Obj::Str(_) => ResultShape::Str,
        Obj::Proc(_) => ResultShape::Proc,
        Obj::Nodes(_) => ResultShape::Nodes,
        _ => ResultShape::Array,
    }
}
fn collect(i: &mut Interp, mode: CollectMode) -> R {
    i.need(2)?;
    let p = i.proc_at(0)?;
    let src = i.at(1).clone();
    let (items, per) = iter_items(&src)?;
    if per != 1 {
        return Err(SliErr::arg_type("Map: dictionaries are not supported; use forall"));
    }
    let mut result = shape_of(&src);
    if mode != CollectMode::Select && result == ResultShape::Nodes {
        result = ResultShape::Array;
    }
    i.popn(2);
    let depth = i.ostack.len();
    i.push_loop(p, IterKind::Collect { items, i: 0, out: Vec::new(), depth, mode, result });
    Ok(())
}
fn map(i: &mut Interp) -> R {
    // array proc [level] Map: apply at the given nesting level.
    if i.ostack.len() >= 3 {
        if let (Obj::Array(l), Obj::Proc(_)) = (i.at(0).clone(), i.at(1)) {
            if let [Obj::Int(level)] = l.as_slice() {
                if *level < 1 || *level > 64 {
                    return Err(SliErr::range(format!("Map: level {level} out of range")));
                }
                let mut p = i.at(1).clone();
                for _ in 1..*level {
                    p = Obj::Proc(Rc::new(Proc {
                        items: vec![p, Obj::Name(crate::value::Sym::new("Map"))],
                        spans: None,
                        file: 0,
                    }));
                }
                i.popn(2);
                i.push(p);
            }
        }
    }
    collect(i, CollectMode::Map)
}
fn map_indexed(i: &mut Interp) -> R {
    collect(i, CollectMode::MapIndexed)
}
fn select(i: &mut Interp) -> R {
    collect(i, CollectMode::Select)
}
fn fold(i: &mut Interp) -> R {
    // init array proc Fold
    i.need(3)?;
    let p = i.proc_at(0)?;
    let (items, _) = iter_items(i.at(1))?;
    i.popn(2);
    i.push_loop(p, IterKind::Forall { items, i: 0, per: 1, indexed: false });
    Ok(())
}
fn fold_list(i: &mut Interp) -> R {
    i.need(3)?;
    let p = i.proc_at(0)?;
    let (items, _) = iter_items(i.at(1))?;
    let init = i.at(2).clone();
    i.popn(2);
    let depth = i.ostack.len() - 1;
    i.push_loop(
        p,
        IterKind::Collect {
            items,
            i: 0,
            out: vec![init],
            depth,
            mode: CollectMode::FoldList,
            result: ResultShape::Array,
        },
    );
    Ok(())
}

fn range_spec(a: &[Obj]) -> R<Vec<Obj>> {
    let all_int = a.iter().all(|o| matches!(o, Obj::Int(_)));
    let num = |o: &Obj| o.as_num().ok_or_else(|| SliErr::arg_type("Range: expected numbers"));
    match a.len() {
        1..=3 if all_int => {
            let (s, e, d) = match a {
                [Obj::Int(n)] => (1, *n, 1),
                [Obj::Int(s), Obj::Int(e)] => (*s, *e, 1),
                [Obj::Int(s), Obj::Int(e), Obj::Int(d)] => (*s, *e, *d),
                _ => unreachable!(),
            };
            if d == 0 {
                return Err(SliErr::range("Range: step 0"));
            }
            let n = if (d > 0 && e < s) || (d < 0 && e > s) { 0 } else { ((e - s) / d + 1) as usize };
            if n > 100_000_000 {
                return Err(SliErr::range(format!("Range: {n} elements are too many")));
            }
            Ok((0..n as i64).map(|k| Obj::Int(s + k * d)).collect())
        }
        1..=3 => {
            let (s, e) = if a.len() == 1 { (1.0, num(&a[0])?) } else { (num(&a[0])?, num(&a[1])?) };
            let d = if a.len() == 3 { num(&a[2])? } else { 1.0 };
            if d == 0.0 || !d.is_finite() || !s.is_finite() || !e.is_finite() {
                return Err(SliErr::range("Range: bad step or bounds"));
            }
            let n = ((e - s) / d + 1e-10).floor() + 1.0;
            if n > 1e8 {
                return Err(SliErr::range("Range: too many elements"));
            }
            Ok((0..n.max(0.0) as i64).map(|k| Obj::Double(s + k as f64 * d)).collect())
        }
        _ => Err(SliErr::arg_type("Range: expected [n], [a b] or [a b step]")),
    }
}
fn range_size(i: &Interp, a: &[Obj]) -> R {
    let n = |k: usize| a.get(k).and_then(|o| o.as_num());
    let est = match a.len() {
        1 => n(0).unwrap_or(0.0),
        2 => n(1).unwrap_or(0.0) - n(0).unwrap_or(0.0) + 1.0,
        3 => (n(1).unwrap_or(0.0) - n(0).unwrap_or(0.0)) / n(2).unwrap_or(1.0) + 1.0,
        _ => 0.0,
    };
    if est.is_finite() && est > 0.0 {
        i.check_size(est.min(1e18) as usize)
    } else if est.is_nan() {
        Err(SliErr::range("Range: bad bounds"))
    } else {
        Ok(())
    }
}
fn range(i: &mut Interp) -> R {
    i.need(1)?;
    let a = i.arr_at(0)?;
    range_size(i, &a)?;
    let r = range_spec(&a)?;
    i.ret(1, Obj::array(r))
}
fn table(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.proc_at(0)?;
    let a = i.arr_at(1)?;
    range_size(i, &a)?;
    let r = range_spec(&a)?;
    i.popn(2);
    let depth = i.ostack.len();
    i.push_loop(
        p,
        IterKind::Collect {
            items: Rc::new(r),
            i: 0,
            out: Vec::new(),
            depth,
            mode: CollectMode::Map,
            result: ResultShape::Array,
        },
    );
    Ok(())
}
fn transpose(i: &mut Interp) -> R {
    i.need(1)?;
    let a = i.arr_at(0)?;
    let rows: Vec<Rc<Vec<Obj>>> = a
        .iter()
        .map(|r| match r {
            Obj::Array(x) => Ok(x.clone()),
            o => Err(SliErr::arg_type(format!("Transpose: expected an array of arrays, got {}", o.type_name()))),
        })
        .collect::<R<_>>()?;
    let n = rows.first().map_or(0, |r| r.len());
    if rows.iter().any(|r| r.len() != n) {
        return Err(SliErr::range("Transpose: rows of different lengths"));
    }
    let t: Vec<Obj> = (0..n).map(|c| Obj::array(rows.iter().map(|r| r[c].clone()).collect())).collect();
    i.ret(1, Obj::array(t))
}
fn flatten_into(o: &Obj, out: &mut Vec<Obj>, levels: i64) {
    match o {
        Obj::Array(a) if levels != 0 => a.iter().for_each(|x| flatten_into(x, out, levels - 1)),
        o => out.push(o.clone()),
    }
}
fn flatten(i: &mut Interp) -> R {
    i.need(1)?;
    let (levels, k) = match i.at(0) {
        Obj::Int(n) => (*n, 1),
        _ => (-1, 0),
    };
    let a = i.arr_at(k)?;
    let mut out = Vec::new();
    for x in a.iter() {
        flatten_into(x, &mut out, levels);
    }
    i.ret(k + 1, Obj::array(out))
}
fn partition(i: &mut Interp) -> R {
    i.need(3)?;
    let d = i.int_at(0)?;
    let n = i.int_at(1)?;
    let a = i.arr_at(2)?;
    if n <= 0 || d <= 0 {
        return Err(SliErr::range("Partition: n and d must be positive"));
    }
    let (n, d) = (n as usize, d as usize);
    let mut out = Vec::new();
    let mut s = 0;
    while s + n <= a.len() {
        out.push(Obj::array(a[s..s + n].to_vec()));
        s += d;
    }
    i.ret(3, Obj::array(out))
}
fn clamp_take(len: usize, n: i64) -> R<(usize, usize)> {
    let l = len as i64;
    if n.abs() > l {
        return Err(SliErr::range(format!("Take: cannot take {n} elements of {len}")));
    }
    Ok(if n >= 0 { (0, n as usize) } else { ((l + n) as usize, len) })
}
/// Resolves a Mathematica-style 1-based specification [a], [a b] or [a b step] to 0-based indices.
fn spec_indices(len: usize, spec: &[Obj]) -> R<Vec<usize>> {
    let l = len as i64;
    let ints: Vec<i64> = spec
        .iter()
        .map(|o| if let Obj::Int(x) = o { Ok(*x) } else { Err(SliErr::arg_type("Take: indices must be integers")) })
        .collect::<R<_>>()?;
    let fix = |x: i64| -> R<i64> {
        let y = if x < 0 { l + x + 1 } else { x };
        if y < 1 || y > l {
            Err(SliErr::range(format!("index {x} out of range for length {len}")))
        } else {
            Ok(y)
        }
    };
    let (a, b, s) = match ints.as_slice() {
        [a] => (fix(*a)?, fix(*a)?, 1),
        [a, b] => (fix(*a)?, fix(*b)?, 1),
        [a, b, s] => (fix(*a)?, fix(*b)?, *s),
        _ => return Err(SliErr::arg_type("Take: expected [n], [a b] or [a b step]")),
    };
    if s == 0 {
        return Err(SliErr::range("Take: step 0"));
    }
    let mut v = Vec::new();
    let mut k = a;
    while (s > 0 && k <= b) || (s < 0 && k >= b) {
        v.push((k - 1) as usize);
        k += s;
    }
    Ok(v)
}
fn take(i: &mut Interp) -> R {
    i.need(2)?;
    let spec = i.at(0).clone();
    let src = i.at(1).clone();
    let idx: Vec<usize> = {
        let len = match &src {
            Obj::Array(a) => a.len(),
            Obj::Str(s) => s.chars().count(),
            Obj::Nodes(n) => n.len(),
            Obj::Proc(p) => p.items.len(),
            o => return Err(SliErr::arg_type(format!("Take: not defined for {}", o.type_name()))),
        };
        match &spec {
            Obj::Int(n) => {
                let (a, b) = clamp_take(len, *n)?;
                (a..b).collect()
            }
            Obj::Array(s) => spec_indices(len, s)?,
            o => return Err(SliErr::arg_type(format!("Take: expected an integer or array, got {}", o.type_name()))),
        }
    };
    let r = pick(&src, &idx);
    i.ret(2, r)
}
fn pick(src: &Obj, idx: &[usize]) -> Obj {
    match src {
        Obj::Array(a) => Obj::array(idx.iter().map(|&k| a[k].clone()).collect()),
        Obj::Proc(p) => {
            Obj::Proc(Rc::new(Proc { items: idx.iter().map(|&k| p.items[k].clone()).collect(), spans: None, file: 0 }))
        }
        Obj::Str(s) => {
            let c: Vec<char> = s.chars().collect();
            Obj::str(idx.iter().map(|&k| c[k]).collect::<String>())
        }
        Obj::Nodes(n) => {
            let v = n.to_vec();
            Obj::Nodes(Rc::new(NodeCollection::from_ids(&idx.iter().map(|&k| v[k]).collect::<Vec<_>>())))
        }
        o => o.clone(),
    }
}
fn drop_(i: &mut Interp) -> R {
    i.need(2)?;
    let n = i.int_at(0)?;
    let src = i.at(1).clone();
    let len = match &src {
        Obj::Array(a) => a.len(),
        Obj::Str(s) => s.chars().count(),
        Obj::Nodes(x) => x.len(),
        Obj::Proc(p) => p.items.len(),
        o => return Err(SliErr::arg_type(format!("Drop: not defined for {}", o.type_name()))),
    };
    let (a, b) = clamp_take(len, n)?;
    let idx: Vec<usize> = (0..len).filter(|k| !(a..b).contains(k)).collect();
    let r = pick(&src, &idx);
    i.ret(2, r)
}
fn elem(i: &mut Interp, which: &str) -> R {
    i.need(1)?;
    let src = i.at(0).clone();
    let len = match &src {
        Obj::Array(a) => a.len(),
        Obj::Str(s) => s.chars().count(),
        Obj::Nodes(n) => n.len(),
        Obj::Proc(p) => p.items.len(),
        o => return Err(SliErr::arg_type(format!("{which}: not defined for {}", o.type_name()))),
    };
    if len == 0 {
        return Err(SliErr::range(format!("{which}: the container is empty")));
    }
    let r = match which {
        "First" | "Last" => {
            let k = if which == "First" { 0 } else { len - 1 };
            match &src {
                Obj::Array(a) => a[k].clone(),
                Obj::Proc(p) => p.items[k].clone(),
                Obj::Str(s) => Obj::Int(s.chars().nth(k).map_or(0, |c| c as i64)),
                Obj::Nodes(n) => Obj::Int(n.get(k)? as i64),
                _ => unreachable!(),
            }
        }
        "Rest" => pick(&src, &(1..len).collect::<Vec<_>>()),
        _ => pick(&src, &(0..len - 1).collect::<Vec<_>>()),
    };
    i.ret(1, r)
}
fn first(i: &mut Interp) -> R {
    elem(i, "First")
}
fn last(i: &mut Interp) -> R {
    elem(i, "Last")
}
fn rest(i: &mut Interp) -> R {
    elem(i, "Rest")
}
fn most(i: &mut Interp) -> R {
    elem(i, "Most")
}
fn sort(i: &mut Interp) -> R {
    i.need(1)?;
    let a = i.arr_at(0)?;
    let mut v = a.to_vec();
    let mut err = None;
    v.sort_by(|x, y| {
        compare(x, y).unwrap_or_else(|e| {
            err = Some(e);
            std::cmp::Ordering::Equal
        })
    });
    if let Some(e) = err {
        return Err(e);
    }
    i.ret(1, Obj::array(v))
}
fn reverse(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Array(a) => Obj::array(a.iter().rev().cloned().collect()),
        Obj::Str(s) => Obj::str(s.chars().rev().collect::<String>()),
        o => return Err(SliErr::arg_type(format!("Reverse: not defined for {}", o.type_name()))),
    };
    i.ret(1, r)
}
fn member_q(i: &mut Interp) -> R {
    i.need(2)?;
    let x = i.at(0).clone();
    let a = seq_at(i, 1)?;
    let r = a.iter().any(|o| o.sli_eq(&x));
    i.ret(2, Obj::Bool(r))
}
fn position(i: &mut Interp) -> R {
    // array any Position -> [indices] (1-based? NEST: 0-based index list)
    i.need(2)?;
    let x = i.at(0).clone();
    let a = seq_at(i, 1)?;
    let r: Vec<Obj> = a.iter().enumerate().filter(|(_, o)| o.sli_eq(&x)).map(|(k, _)| Obj::Int(k as i64)).collect();
    i.ret(2, Obj::array(r))
}
fn seq_len(o: &Obj) -> usize {
    match o {
        Obj::Array(a) => a.len(),
        Obj::Str(s) => s.len(),
        Obj::Proc(p) => p.items.len(),
        Obj::Nodes(n) => n.len(),
        _ => 0,
    }
}
fn join(i: &mut Interp) -> R {
    i.need(2)?;
    i.check_size(seq_len(i.at(1)) + seq_len(i.at(0)))?;
    let r = match (i.at(1), i.at(0)) {
        (Obj::Array(a), Obj::Array(b)) => Obj::array(a.iter().chain(b.iter()).cloned().collect()),
        (Obj::Str(a), Obj::Str(b)) => Obj::str(format!("{a}{b}")),
        (Obj::Proc(a), Obj::Proc(b)) => Obj::Proc(Rc::new(Proc {
            items: a.items.iter().chain(b.items.iter()).cloned().collect(),
            spans: None,
            file: 0,
        })),
        (Obj::Nodes(a), Obj::Nodes(b)) => Obj::Nodes(Rc::new(a.join(b))),
        // As NEST's `join_d`: the entries of the second dictionary are put into the first,
        // which is changed in place; nothing is left on the stack.
        (Obj::Dict(a), Obj::Dict(b)) => {
            let entries: Vec<_> = b.borrow().iter().map(|(k, v)| (*k, v.clone())).collect();
            a.borrow_mut().extend(entries);
            i.popn(2);
            return Ok(());
        }
        (a, b) => return Err(SliErr::arg_type(format!("join: cannot join {} and {}", a.type_name(), b.type_name()))),
    };
    i.ret(2, r)
}
fn append(i: &mut Interp) -> R {
    i.need(2)?;
    i.check_size(seq_len(i.at(1)) + 1)?;
    let x = i.at(0).clone();
    let r = match i.at(1) {
        Obj::Array(a) => {
            let mut v = a.to_vec();
            v.push(x);
            Obj::array(v)
        }
        Obj::Proc(p) => {
            let mut v = p.items.clone();
            v.push(x);
            Obj::Proc(Rc::new(Proc { items: v, spans: None, file: 0 }))
        }
        Obj::Str(s) => {
            let c = match x {
                Obj::Int(c) => char::from_u32(c as u32).ok_or_else(|| SliErr::range("append: bad character code"))?,
                o => {
                    return Err(SliErr::arg_type(format!(
                        "append to a string needs an integer character, got {}",
                        o.type_name()
                    )))
                }
            };
            let mut t = s.to_string();
            t.push(c);
            Obj::str(t)
        }
        o => return Err(SliErr::arg_type(format!("append: not defined for {}", o.type_name()))),
    };
    i.ret(2, r)
}
fn prepend(i: &mut Interp) -> R {
    i.need(2)?;
    i.check_size(seq_len(i.at(1)) + 1)?;
    let x = i.at(0).clone();
    let r = match i.at(1) {
        Obj::Array(a) => {
            let mut v = vec![x];
            v.extend(a.iter().cloned());
            Obj::array(v)
        }
        Obj::Proc(p) => {
            let mut v = vec![x];
            v.extend(p.items.iter().cloned());
            Obj::Proc(Rc::new(Proc { items: v, spans: None, file: 0 }))
        }
        Obj::Str(s) => {
            let c = match x {
                Obj::Int(c) => char::from_u32(c as u32).ok_or_else(|| SliErr::range("prepend: bad character code"))?,
                o => {
                    return Err(SliErr::arg_type(format!(
                        "prepend to a string needs an integer character, got {}",
                        o.type_name()
                    )))
                }
            };
            Obj::str(format!("{c}{s}"))
        }
        o => return Err(SliErr::arg_type(format!("prepend: not defined for {}", o.type_name()))),
    };
    i.ret(2, r)
}
fn getinterval(i: &mut Interp) -> R {
    i.need(3)?;
    let n = i.int_at(0)?;
    let s = i.int_at(1)?;
    let src = i.at(2).clone();
    let len = match &src {
        Obj::Array(a) => a.len(),
        Obj::Str(x) => x.chars().count(),
        o => return Err(SliErr::arg_type(format!("getinterval: not defined for {}", o.type_name()))),
    } as i64;
    if s < 0 || n < 0 || s + n > len {
        return Err(SliErr::range(format!("getinterval: [{s}, {s}+{n}) is outside 0..{len}")));
    }
    let r = pick(&src, &(s as usize..(s + n) as usize).collect::<Vec<_>>());
    i.ret(3, r)
}
fn aggregate(i: &mut Interp, what: &str) -> R {
    i.need(1)?;
    let a = i.arr_at(0)?;
    if a.is_empty() && what != "Total" && what != "Plus" {
        return Err(SliErr::range(format!("{what}: empty array")));
    }
    let r = match what {
        "Total" | "Plus" => {
            let mut acc = Obj::Int(0);
            for x in a.iter() {
                acc = match (&acc, x) {
                    (Obj::Int(p), Obj::Int(q)) => Obj::Int(p + q),
                    _ => Obj::Double(
                        acc.as_num().unwrap_or(0.0)
                            + x.as_num().ok_or_else(|| SliErr::arg_type("Total: expected numbers"))?,
                    ),
                }
            }
            acc
        }
        "Mean" => {
            let s: f64 = a
                .iter()
                .map(|x| x.as_num().ok_or_else(|| SliErr::arg_type("Mean: expected numbers")))
                .sum::<R<f64>>()?;
            Obj::Double(s / a.len() as f64)
        }
        _ => {
            let mut best = a[0].clone();
            for x in a.iter().skip(1) {
                let o = compare(x, &best)?;
                if (what == "Max" && o.is_gt()) || (what == "Min" && o.is_lt()) {
                    best = x.clone();
                }
            }
            best
        }
    };
    i.ret(1, r)
}
fn total(i: &mut Interp) -> R {
    aggregate(i, "Total")
}
fn mean(i: &mut Interp) -> R {
    aggregate(i, "Mean")
}
fn amax(i: &mut Interp) -> R {
    aggregate(i, "Max")
}
fn amin(i: &mut Interp) -> R {
    aggregate(i, "Min")
}
fn layout(dims: &[i64], v: &Obj) -> Obj {
    match dims.split_first() {
        None => v.clone(),
        Some((n, rest)) => Obj::array((0..*n.max(&0)).map(|_| layout(rest, v)).collect()),
    }
}
fn layout_array(i: &mut Interp) -> R {
    i.need(2)?;
    let v = i.at(0).clone();
    let d = i.arr_at(1)?;
    let dims: Vec<i64> = d
        .iter()
        .map(|o| if let Obj::Int(x) = o { Ok(*x) } else { Err(SliErr::arg_type("LayoutArray: integer dimensions")) })
        .collect::<R<_>>()?;
    let total = dims.iter().map(|x| *x.max(&1) as f64).product::<f64>();
    if total > i.max_elems as f64 {
        return Err(SliErr::range("LayoutArray: too large"));
    }
    i.ret(2, layout(&dims, &v))
}
fn dimensions(i: &mut Interp) -> R {
    i.need(1)?;
    let mut dims = Vec::new();
    let mut cur = i.at(0).clone();
    while let Obj::Array(a) = cur {
        dims.push(Obj::Int(a.len() as i64));
        match a.first() {
            Some(x) => cur = x.clone(),
            None => break,
        }
    }
    i.ret(1, Obj::array(dims))
}
fn part(i: &mut Interp) -> R {
    // array [i j ...] Part  (1-based, /All allowed)
    i.need(2)?;
    let spec = i.arr_at(0)?;
    fn go(o: &Obj, spec: &[Obj]) -> R<Obj> {
        let Some((s, rest)) = spec.split_first() else { return Ok(o.clone()) };
        let a = match o {
            Obj::Array(a) => a.clone(),
            o => return Err(SliErr::arg_type(format!("Part: {} is not an array", o.type_name()))),
        };
        match s {
            Obj::Int(k) => {
                let idx = spec_indices(a.len(), &[Obj::Int(*k)])?;
                go(&a[idx[0]], rest)
            }
            Obj::Literal(n) if &*n.name() == "All" => Ok(Obj::array(a.iter().map(|x| go(x, rest)).collect::<R<_>>()?)),
            Obj::Array(sp) => {
                let idx = spec_indices(a.len(), sp)?;
                Ok(Obj::array(idx.iter().map(|&k| go(&a[k], rest)).collect::<R<_>>()?))
            }
            o => Err(SliErr::arg_type(format!("Part: bad index {}", o.type_name()))),
        }
    }
    let r = go(i.at(1), &spec)?;
    i.ret(2, r)
}
fn empty(i: &mut Interp) -> R {
    i.need(1)?;
    let e = match i.at(0) {
        Obj::Array(a) => a.is_empty(),
        Obj::Str(s) => s.is_empty(),
        Obj::Dict(d) => d.borrow().is_empty(),
        Obj::Proc(p) => p.items.is_empty(),
        Obj::Nodes(n) => n.is_empty(),
        o => return Err(SliErr::arg_type(format!("empty: not defined for {}", o.type_name()))),
    };
    i.push(Obj::Bool(e));
    Ok(())
}
fn nest_list(i: &mut Interp) -> R {
    // x f n NestList -> [x f(x) ...]: done with a FoldList over n dummy items.
    i.need(3)?;
    let n = i.int_at(0)?;
    let p = i.proc_at(1)?;
    if !(0..=10_000_000).contains(&n) {
        return Err(SliErr::range("NestList: bad count"));
    }
    let init = i.at(2).clone();
    i.popn(2);
    let wrapped = Obj::Proc(Rc::new(Proc {
        items: vec![Obj::Name(crate::value::Sym::new("pop")), p, Obj::Name(crate::value::Sym::new("exec"))],
        spans: None,
        file: 0,
    }));
    let depth = i.ostack.len() - 1;
    i.push_loop(
        wrapped,
        IterKind::Collect {
            items: Rc::new(vec![Obj::Int(0); n as usize]),
            i: 0,
            out: vec![init],
            depth,
            mode: CollectMode::FoldList,
            result: ResultShape::Array,
        },
    );
    Ok(())
}

fn inflate_unit_test_data(i: &mut Interp) -> R {
    // [h1 .. hn] [[t1 (t2) .. v] ..] InflateUnitTestData -> [[h1 [[t v] ..]] [h2 [[t v] ..]] ..]
    i.need(2)?;
    let data = i.arr_at(0)?;
    let h = i.arr_at(1)?;
    let hs: Vec<f64> = h
        .iter()
        .map(|x| x.as_num().ok_or_else(|| SliErr::arg_type("InflateUnitTestData: step sizes must be numbers")))
        .collect::<R<_>>()?;
    if hs.is_empty() {
        return Err(SliErr::range("InflateUnitTestData: no step sizes"));
    }
    let mult: Vec<i64> = hs.iter().map(|x| (x / hs[0]).round() as i64).collect();
    let mut out: Vec<Vec<Obj>> = vec![Vec::new(); hs.len()];
    for row in data.iter() {
        let Obj::Array(r) = row else { return Err(SliErr::arg_type("InflateUnitTestData: rows must be arrays")) };
        if r.len() < 2 {
            return Err(SliErr::range("InflateUnitTestData: a row needs a time and a value"));
        }
        let v = r[r.len() - 1].clone();
        let t1 = match &r[0] {
            Obj::Int(t) => *t,
            o => o.as_num().unwrap_or(0.0).round() as i64,
        };
        out[0].push(Obj::array(vec![r[0].clone(), v.clone()]));
        let mut k = 1;
        for (j, m) in mult.iter().enumerate().skip(1) {
            if *m > 0 && t1 % m == 0 && k < r.len() - 1 {
                out[j].push(Obj::array(vec![r[k].clone(), v.clone()]));
                k += 1;
            }
        }
    }
    let res = hs.iter().zip(out).map(|(x, d)| Obj::array(vec![Obj::Double(*x), Obj::array(d)])).collect();
    i.ret(2, Obj::array(res))
}

/// Array operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("[", open_mark, "[ -> mark", "[1 2 add] -> [3]", "], mark, arraystore"),
    bi!("]", close_array, "mark a1..an ] -> array", "[1 2] -> [1 2]", "["),
    bi!("<.", open_mark, "<. -> mark", "<. 1. 2. .> -> [1. 2.]", ".>"),
    bi!(".>", close_array, "mark a1..an .> -> array", "<. 1. 2. .>", "<."),
    bi!("<#", open_mark, "<# -> mark", "<# 1 2 #>", "#>"),
    bi!("#>", close_array, "mark a1..an #> -> array", "<# 1 2 #>", "<#"),
    bi!("arraystore", arraystore, "a1..an n arraystore -> array", "1 2 2 arraystore -> [1 2]", "arrayload"),
    bi!("arrayload", arrayload, "array arrayload -> a1..an n", "[1 2] arrayload -> 1 2 2", "arraystore"),
    bi!("array", array, "n array -> array of n zeros", "3 array -> [0 0 0]", "LayoutArray"),
    bi!("length", length, "array|string|dict length -> int", "[1 2 3] length -> 3", "size"),
    bi!("size", size, "array size -> array n | nodes size -> n", "[1 2] size -> [1 2] 2", "length"),
    bi!("Map", map, "array proc Map -> array", "[1 2 3] {2 mul} Map -> [2 4 6]", "MapIndexed, forall"),
    bi!(
        "MapIndexed",
        map_indexed,
        "array proc MapIndexed -> array (proc gets item, 1-based index)",
        "[5 6] {add} MapIndexed -> [6 8]",
        "Map"
    ),
    bi!("Select", select, "array proc Select -> array", "[1 2 3 4] {2 mod 0 eq} Select -> [2 4]", "Map"),
    bi!("Fold", fold, "init array proc Fold -> result", "0 [1 2 3] {add} Fold -> 6", "FoldList, forall"),
    bi!("FoldList", fold_list, "init array proc FoldList -> array", "0 [1 2 3] {add} FoldList -> [0 1 3 6]", "Fold"),
    bi!("NestList", nest_list, "x proc n NestList -> array", "1 {2 mul} 3 NestList -> [1 2 4 8]", "FoldList"),
    bi!("Range", range, "[n] | [a b] | [a b step] Range -> array", "[3] Range -> [1 2 3]", "Table"),
    bi!("Table", table, "spec proc Table -> array", "[3] {dup mul} Table -> [1 4 9]", "Range, Map"),
    bi!("Transpose", transpose, "matrix Transpose -> matrix", "[[1 2] [3 4]] Transpose -> [[1 3] [2 4]]", "Flatten"),
    bi!("Flatten", flatten, "array [levels] Flatten -> array", "[[1 [2]] 3] Flatten -> [1 2 3]", "Partition"),
    bi!("Partition", partition, "array n d Partition -> array", "[1 2 3 4] 2 2 Partition -> [[1 2] [3 4]]", "Flatten"),
    bi!("Take", take, "seq n|[a b step] Take -> seq", "[1 2 3] 2 Take -> [1 2]", "Drop, Part"),
    bi!("Drop", drop_, "seq n Drop -> seq", "[1 2 3] 1 Drop -> [2 3]", "Take"),
    bi!("First", first, "seq First -> element", "[1 2 3] First -> 1", "Last, Rest"),
    bi!("Last", last, "seq Last -> element", "[1 2 3] Last -> 3", "First, Most"),
    bi!("Rest", rest, "seq Rest -> seq", "[1 2 3] Rest -> [2 3]", "First, Most"),
    bi!("Most", most, "seq Most -> seq", "[1 2 3] Most -> [1 2]", "Rest"),
    bi!("Sort", sort, "array Sort -> array", "[3 1 2] Sort -> [1 2 3]", "Reverse"),
    bi!("Reverse", reverse, "array Reverse -> array", "[1 2] Reverse -> [2 1]", "Sort"),
    bi!("MemberQ", member_q, "array any MemberQ -> bool", "[1 2] 2 MemberQ -> true", "Position"),
    bi!("Position", position, "array any Position -> [indices]", "[1 2 1] 1 Position -> [0 2]", "MemberQ"),
    bi!(
        "join",
        join,
        "a b join -> ab (arrays, strings, procedures, nodes); dict1 dict2 join -> - (dict2 put into dict1)",
        "[1] [2] join -> [1 2]",
        "append"
    ),
    bi!("append", append, "array any append -> array", "[1] 2 append -> [1 2]", "prepend, join"),
    bi!("prepend", prepend, "array any prepend -> array", "[1] 0 prepend -> [0 1]", "append"),
    bi!("getinterval", getinterval, "seq start n getinterval -> seq", "[1 2 3] 1 2 getinterval -> [2 3]", "Take"),
    bi!("Total", total, "array Total -> number", "[1 2 3] Total -> 6", "Plus, Mean"),
    bi!("Plus", total, "array Plus -> number", "[1 2 3] Plus -> 6", "Total"),
    bi!("Mean", mean, "array Mean -> double", "[1 2 3] Mean -> 2.", "Total"),
    bi!("Max", amax, "array Max -> element", "[1 3 2] Max -> 3", "Min, max"),
    bi!("Min", amin, "array Min -> element", "[1 3 2] Min -> 1", "Max, min"),
    bi!("LayoutArray", layout_array, "[d1 d2..] value LayoutArray -> array", "[2] 0 LayoutArray -> [0 0]", "array"),
    bi!("Dimensions", dimensions, "array Dimensions -> [d1 d2 ..]", "[[1 2] [3 4]] Dimensions -> [2 2]", "LayoutArray"),
    bi!("Part", part, "array [i j ..] Part -> element", "[[1 2] [3 4]] [2 1] Part -> 3", "Take, get"),
    bi!(
        "InflateUnitTestData",
        inflate_unit_test_data,
        "[h..] [[t .. v] ..] InflateUnitTestData -> [[h [[t v] ..]] ..]",
        "[0.1 0.2] [[1 -69.4] [2 1 -68.9]] InflateUnitTestData",
        "unittest"
    ),
    bi!("empty", empty, "seq empty -> seq bool", "[] empty -> [] true", "length"),
];

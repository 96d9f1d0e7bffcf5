//! Dictionaries, and the polymorphic `get`, `put`, `cva`.

use crate::bi;
use crate::builtins::stack::counttomark_n;
use crate::eval::{short, Interp, SliErr, R};
use crate::value::{Builtin, DictRef, Obj, Proc, Sym};
use std::rc::Rc;

fn open_dict(i: &mut Interp) -> R {
    i.push(Obj::Mark);
    Ok(())
}
fn close_dict(i: &mut Interp) -> R {
    let n = counttomark_n(i)?;
    if n % 2 != 0 {
        return Err(SliErr::arg_type(format!(">>: {n} objects after << (expected /key value pairs)")));
    }
    let l = i.ostack.len();
    let d = Obj::new_dict();
    {
        let mut m = d.borrow_mut();
        for k in (l - n..l).step_by(2) {
            match &i.ostack[k] {
                Obj::Literal(s) | Obj::Name(s) => {
                    m.insert(*s, i.ostack[k + 1].clone());
                }
                Obj::Str(s) => {
                    m.insert(Sym::new(s), i.ostack[k + 1].clone());
                }
                o => {
                    return Err(SliErr::arg_type(format!(
                        ">>: keys must be literal names, got {} {}",
                        o.type_name(),
                        short(o)
                    )))
                }
            }
        }
    }
    i.popn(n + 1);
    i.push(Obj::Dict(d));
    Ok(())
}
fn dict(i: &mut Interp) -> R {
    i.push(Obj::Dict(Obj::new_dict()));
    Ok(())
}
/// `dict key get` with SLI's error for a missing key.
pub fn dict_get(d: &DictRef, k: Sym) -> R<Obj> {
    d.borrow().get(&k).cloned().ok_or_else(|| {
        let keys: Vec<Rc<str>> = d.borrow().keys().map(|k| k.name()).collect();
        SliErr::new(
            "UndefinedName",
            format!(
                "the dictionary has no key /{k}{}",
                nestor_kernel::error::hint(&k.name(), keys.iter().map(|s| &**s))
            ),
        )
    })
}
fn key_of(o: &Obj) -> R<Sym> {
    match o {
        Obj::Literal(s) | Obj::Name(s) => Ok(*s),
        Obj::Str(s) => Ok(Sym::new(s)),
        o => Err(SliErr::arg_type(format!("a dictionary key must be a literal name, got {}", o.type_name()))),
    }
}
fn index_of(k: i64, len: usize) -> R<usize> {
    if k < 0 || k as usize >= len {
        Err(SliErr::range(format!("index {k} is out of range 0..{}", len.saturating_sub(1))))
    } else {
        Ok(k as usize)
    }
}
/// A key path into nested dictionaries: names descend; an array inside the path selects several
/// keys at that level (`[/events [/times /V_m]]`).
fn get_path(cur: &Obj, path: &[Obj]) -> R<Obj> {
    let Some((first, rest)) = path.split_first() else { return Ok(cur.clone()) };
    match first {
        Obj::Array(keys) => {
            Ok(Obj::array(keys.iter().map(|k| get_path(&get_plain(cur, k)?, rest)).collect::<R<Vec<_>>>()?))
        }
        k => get_path(&get_plain(cur, k)?, rest),
    }
}
/// get on plain containers (without kernel look-ups).
pub fn get_plain(c: &Obj, k: &Obj) -> R<Obj> {
    match (c, k) {
        (Obj::Dict(d), Obj::Array(path)) => get_path(&Obj::Dict(d.clone()), path),
        (Obj::Dict(d), k) => dict_get(d, key_of(k)?),
        (Obj::Array(a), Obj::Int(k)) => Ok(a[index_of(*k, a.len())?].clone()),
        (Obj::Array(a), Obj::Array(ks)) => {
            Ok(Obj::array(ks.iter().map(|k| get_plain(&Obj::Array(a.clone()), k)).collect::<R<Vec<_>>>()?))
        }
        (Obj::Proc(p) | Obj::LitProc(p), Obj::Int(k)) => Ok(p.items[index_of(*k, p.items.len())?].clone()),
        (Obj::Str(s), Obj::Int(k)) => {
            let c: Vec<char> = s.chars().collect();
            Ok(Obj::Int(c[index_of(*k, c.len())?] as i64))
        }
        (Obj::Nodes(n), Obj::Int(k)) => {
            let idx = if *k < 0 { *k + n.len() as i64 } else { *k };
            Ok(Obj::Int(n.get(index_of(idx, n.len())?)? as i64))
        }
        (c, k) => Err(SliErr::arg_type(format!("get: cannot index {} with {}", c.type_name(), k.type_name()))),
    }
}
fn get(i: &mut Interp) -> R {
    i.need(2)?;
    // nestor extension: `sr /events/times get` (a container followed by several names) is the
    // key path [/events /times].
    if matches!((i.at(1), i.at(0)), (Obj::Literal(_), Obj::Literal(_))) {
        let n = (0..i.ostack.len()).take_while(|&k| matches!(i.at(k), Obj::Literal(_))).count();
        if n < i.ostack.len() && matches!(i.at(n), Obj::Dict(_) | Obj::Nodes(_) | Obj::Int(_) | Obj::Conn(_)) {
            let path: Vec<Obj> = (0..n).rev().map(|k| i.at(k).clone()).collect();
            let c = i.at(n).clone();
            let k = Obj::array(path);
            let r = match &c {
                Obj::Dict(_) => get_plain(&c, &k)?,
                _ => crate::builtins::nest::get_status_key(i, &c, &k)?,
            };
            return i.ret(n + 1, r);
        }
    }
    let (c, k) = (i.at(1).clone(), i.at(0).clone());
    let r = match (&c, &k) {
        (Obj::Nodes(_) | Obj::Int(_) | Obj::Conn(_), Obj::Literal(_) | Obj::Array(_))
            if !matches!((&c, &k), (Obj::Nodes(_), Obj::Int(_))) =>
        {
            crate::builtins::nest::get_status_key(i, &c, &k)?
        }
        (Obj::Array(a), Obj::Literal(_)) if a.iter().all(|x| matches!(x, Obj::Conn(_))) => {
            crate::builtins::nest::get_status_key(i, &c, &k)?
        }
        _ => get_plain(&c, &k)?,
    };
    i.ret(2, r)
}
fn put(i: &mut Interp) -> R {
    i.need(3)?;
    let v = i.at(0).clone();
    let k = i.at(1).clone();
    match i.at(2).clone() {
        Obj::Dict(d) => {
            let s = key_of(&k)?;
            d.borrow_mut().insert(s, v);
            i.popn(3);
            Ok(())
        }
        Obj::Array(mut a) => {
            let kk = match k {
                Obj::Int(x) => index_of(x, a.len())?,
                o => {
                    return Err(SliErr::arg_type(format!("put: array index must be an integer, got {}", o.type_name())))
                }
            };
            Rc::make_mut(&mut a)[kk] = v;
            i.ret(3, Obj::Array(a))
        }
        Obj::Proc(p) => {
            let kk = match k {
                Obj::Int(x) => index_of(x, p.items.len())?,
                o => return Err(SliErr::arg_type(format!("put: index must be an integer, got {}", o.type_name()))),
            };
            let mut items = p.items.clone();
            items[kk] = v;
            i.ret(3, Obj::Proc(Rc::new(Proc { items, spans: None, file: 0 })))
        }
        Obj::Str(s) => {
            let (kk, c) = match (k, v) {
                (Obj::Int(x), Obj::Int(c)) => (x, c),
                _ => return Err(SliErr::arg_type("put: string int int put expected")),
            };
            let mut chars: Vec<char> = s.chars().collect();
            let kk = index_of(kk, chars.len())?;
            chars[kk] = char::from_u32(c as u32).ok_or_else(|| SliErr::range("put: bad character code"))?;
            i.ret(3, Obj::str(chars.into_iter().collect::<String>()))
        }
        o => Err(SliErr::arg_type(format!("put: cannot store into {}", o.type_name()))),
    }
}
fn sorted(d: &DictRef) -> Vec<(Sym, Obj)> {
    let mut v: Vec<(Rc<str>, Sym, Obj)> = d.borrow().iter().map(|(k, v)| (k.name(), *k, v.clone())).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.into_iter().map(|(_, k, v)| (k, v)).collect()
}
fn keys(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.dict_at(0)?;
    let r = sorted(&d).into_iter().map(|(k, _)| Obj::Literal(k)).collect();
    i.ret(1, Obj::array(r))
}
fn values(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.dict_at(0)?;
    let r = sorted(&d).into_iter().map(|(_, v)| v).collect();
    i.ret(1, Obj::array(r))
}
fn known(i: &mut Interp) -> R {
    i.need(2)?;
    let k = key_of(i.at(0))?;
    let r = match i.at(1) {
        Obj::Dict(d) => d.borrow().contains_key(&k),
        Obj::Int(_) | Obj::Nodes(_) => {
            let c = i.at(1).clone();
            crate::builtins::nest::status_dict_of(i, &c)?.borrow().contains_key(&k)
        }
        o => return Err(SliErr::arg_type(format!("known: expected a dictionary, got {}", o.type_name()))),
    };
    i.ret(2, Obj::Bool(r))
}
fn undef(i: &mut Interp) -> R {
    i.need(2)?;
    let k = key_of(i.at(0))?;
    let d = i.dict_at(1)?;
    d.borrow_mut().remove(&k);
    i.popn(2);
    Ok(())
}
fn dict_cva(d: &DictRef) -> Obj {
    Obj::array(sorted(d).into_iter().flat_map(|(k, v)| [Obj::Literal(k), v]).collect())
}
fn cva(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Dict(d) => dict_cva(d),
        Obj::Array(a) if a.iter().any(|x| matches!(x, Obj::Dict(_))) => {
            Obj::array(a.iter().map(|x| if let Obj::Dict(d) = x { dict_cva(d) } else { x.clone() }).collect())
        }
        Obj::Trie(t) => Obj::array(
            t.borrow()
                .entries
                .iter()
                .flat_map(|(sig, imp)| {
                    sig.iter()
                        .map(|s| Obj::Literal(*s))
                        .chain(std::iter::once(Obj::array(vec![imp.clone()])))
                        .collect::<Vec<_>>()
                })
                .collect(),
        ),
        Obj::Nodes(n) => Obj::array(n.iter().map(|x| Obj::Int(x as i64)).collect()),
        Obj::Array(_) => return Ok(()),
        Obj::Proc(p) | Obj::LitProc(p) => Obj::array(p.items.clone()),
        Obj::Str(s) => Obj::array(s.chars().map(|c| Obj::Int(c as i64)).collect()),
        Obj::Conn(c) => Obj::array(vec![
            Obj::Int(c.source as i64),
            Obj::Int(c.target as i64),
            Obj::Int(0),
            Obj::lit(&c.synapse_model),
            Obj::Int(0),
        ]),
        Obj::Quantity(q) => Obj::array(vec![Obj::Double(crate::builtins::units::to_canonical(q))]),
        o => return Err(SliErr::arg_type(format!("cva: cannot convert {} to an array", o.type_name()))),
    };
    i.ret(1, r)
}
fn info(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.dict_at(0)?;
    let mut s = String::new();
    for (k, v) in sorted(&d) {
        s.push_str(&format!("{:<24} {:<20} {}\n", k.name(), v.type_name(), crate::eval::truncate(&v.to_syntax(), 60)));
    }
    i.popn(1);
    i.print(&s);
    Ok(())
}
fn subset_q(i: &mut Interp) -> R {
    // dict1 dict2 SubsetQ: all entries of dict2 are in dict1 with equal values
    i.need(2)?;
    let b = i.dict_at(0)?;
    let a = i.dict_at(1)?;
    let r = b.borrow().iter().all(|(k, v)| {
        a.borrow().get(k).is_some_and(|x| x.sli_eq(v) || x.as_num().is_some() && x.as_num() == v.as_num())
    });
    i.ret(2, Obj::Bool(r))
}
fn clonedict(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.dict_at(0)?;
    let c = Obj::new_dict();
    *c.borrow_mut() = d.borrow().clone();
    i.ret(1, Obj::Dict(c))
}

/// Dictionary operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("<<", open_dict, "<< -> mark", "<< /a 1 >> -> dict", ">>, dict"),
    bi!(">>", close_dict, "mark /k1 v1 .. >> -> dict", "<< /a 1 /b 2 >>", "<<"),
    bi!("dict", dict, "dict -> dict", "dict /a 1 put", "<<, >>"),
    bi!("get", get, "container key get -> value", "<< /a 1 >> /a get -> 1", "put, ::, GetStatus"),
    bi!("put", put, "container key value put -> (container)", "[1 2] 0 5 put -> [5 2]", "get"),
    bi!("keys", keys, "dict keys -> array", "<< /b 1 /a 2 >> keys -> [/a /b]", "values, cva"),
    bi!("values", values, "dict values -> array", "<< /a 1 >> values -> [1]", "keys"),
    bi!("known", known, "dict /key known -> bool", "<< /a 1 >> /a known -> true", "undef, lookup"),
    bi!("undef", undef, "dict /key undef -> -", "<< /a 1 >> dup /a undef", "known"),
    bi!("cva", cva, "dict|nodes|proc|string cva -> array", "<< /a 1 >> cva -> [/a 1]", "cvx, keys"),
    bi!("info", info, "dict info -> -", "<< /a 1 >> info", "ShowStatus"),
    bi!("SubsetQ", subset_q, "dict1 dict2 SubsetQ -> bool", "<< /a 1 /b 2 >> << /a 1 >> SubsetQ -> true", "known"),
    bi!("clonedict", clonedict, "dict clonedict -> dict", "<< /a 1 >> clonedict", "dict"),
];

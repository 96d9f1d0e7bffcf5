//! Type names, type predicates and tries.

use crate::bi;
use crate::eval::{Interp, SliErr, R};
use crate::value::{Builtin, Obj, Sym, Trie};
use std::cell::RefCell;
use std::rc::Rc;

fn type_(i: &mut Interp) -> R {
    i.need(1)?;
    let t = i.at(0).type_name();
    i.ret(1, Obj::lit(t))
}
fn pred(i: &mut Interp, f: fn(&Obj) -> bool) -> R {
    i.need(1)?;
    let b = f(i.at(0));
    i.push(Obj::Bool(b));
    Ok(())
}
macro_rules! preds {
    ($($name:ident => $pat:pat),* $(,)?) => {
        $( fn $name(i: &mut Interp) -> R { pred(i, |o| matches!(o, $pat)) } )*
    };
}
preds!(
    integer_q => Obj::Int(_),
    double_q => Obj::Double(_),
    number_q => Obj::Int(_) | Obj::Double(_),
    string_q => Obj::Str(_),
    array_q => Obj::Array(_),
    dict_q => Obj::Dict(_),
    literal_q => Obj::Literal(_),
    procedure_q => Obj::Proc(_),
    bool_q => Obj::Bool(_),
    mark_q => Obj::Mark,
    nodes_q => Obj::Nodes(_),
    quantity_q => Obj::Quantity(_),
);
fn finite_q(i: &mut Interp) -> R {
    i.need(1)?;
    let x = i.num_at(0)?;
    i.ret(1, Obj::Bool(x.is_finite()))
}
fn trie(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.sym_at(0)?;
    i.ret(1, Obj::Literal(s))?;
    i.push(Obj::Trie(Rc::new(RefCell::new(Trie { name: Some(s), entries: Vec::new() }))));
    Ok(())
}
fn addtotrie(i: &mut Interp) -> R {
    // trie [types] obj addtotrie -> trie
    i.need(3)?;
    let imp = i.at(0).clone();
    let sig = i.arr_at(1)?;
    let t = match i.at(2) {
        Obj::Trie(t) => t.clone(),
        o => return Err(SliErr::arg_type(format!("addtotrie: expected a trie, got {}", o.type_name()))),
    };
    let sig: Vec<Sym> = sig
        .iter()
        .map(|o| match o {
            Obj::Literal(s) => Ok(*s),
            o => Err(SliErr::arg_type(format!("addtotrie: type names must be literals, got {}", o.type_name()))),
        })
        .collect::<R<_>>()?;
    {
        let mut tm = t.borrow_mut();
        tm.entries.retain(|(s, _)| *s != sig);
        tm.entries.push((sig, imp));
        tm.entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }
    i.popn(2);
    Ok(())
}

/// Type operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("type", type_, "any type -> /typename", "1 type -> /integertype", "IntegerQ, cvlit"),
    bi!("IntegerQ", integer_q, "any IntegerQ -> any bool", "1 IntegerQ -> 1 true", "DoubleQ, NumberQ"),
    bi!("DoubleQ", double_q, "any DoubleQ -> any bool", "1. DoubleQ -> 1. true", "IntegerQ"),
    bi!("NumberQ", number_q, "any NumberQ -> any bool", "1 NumberQ -> 1 true", "IntegerQ"),
    bi!("StringQ", string_q, "any StringQ -> any bool", "(a) StringQ -> (a) true", "type"),
    bi!("ArrayQ", array_q, "any ArrayQ -> any bool", "[] ArrayQ -> [] true", "type"),
    bi!("DictQ", dict_q, "any DictQ -> any bool", "<< >> DictQ -> << >> true", "type"),
    bi!("LiteralQ", literal_q, "any LiteralQ -> any bool", "/a LiteralQ -> /a true", "type"),
    bi!("ProcedureQ", procedure_q, "any ProcedureQ -> any bool", "{} ProcedureQ -> {} true", "type"),
    bi!("BoolQ", bool_q, "any BoolQ -> any bool", "true BoolQ -> true true", "type"),
    bi!("MarkQ", mark_q, "any MarkQ -> any bool", "mark MarkQ -> mark true", "mark"),
    bi!(
        "NodeCollectionQ",
        nodes_q,
        "any NodeCollectionQ -> any bool",
        "/iaf_psc_alpha Create NodeCollectionQ",
        "Create"
    ),
    bi!("QuantityQ", quantity_q, "any QuantityQ -> any bool", "1 mV QuantityQ -> 1 mV true", "unitless"),
    bi!("FiniteQ", finite_q, "num FiniteQ -> bool", "1. FiniteQ -> true", "NumberQ"),
    bi!("trie", trie, "/name trie -> /name trie", "/f trie [/integertype] {1 add} addtotrie def", "addtotrie, def"),
    bi!(
        "addtotrie",
        addtotrie,
        "trie [types] proc addtotrie -> trie",
        "/f trie [/integertype] {1 add} addtotrie def",
        "trie"
    ),
];

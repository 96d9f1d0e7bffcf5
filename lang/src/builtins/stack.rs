//! Operand stack manipulation.

use crate::bi;
use crate::eval::{Interp, SliErr, R};
use crate::value::{Builtin, Obj};

fn dup(i: &mut Interp) -> R {
    i.need(1)?;
    let o = i.at(0).clone();
    i.push(o);
    Ok(())
}
fn pop(i: &mut Interp) -> R {
    i.need(1)?;
    i.popn(1);
    Ok(())
}
fn exch(i: &mut Interp) -> R {
    i.need(2)?;
    let l = i.ostack.len();
    i.ostack.swap(l - 1, l - 2);
    Ok(())
}
fn roll_by(i: &mut Interp, n: i64, k: i64) -> R {
    if n < 0 {
        return Err(SliErr::range(format!("roll: the count must be non-negative, got {n}")));
    }
    let n = n as usize;
    i.need(n)?;
    if n == 0 {
        return Ok(());
    }
    let l = i.ostack.len();
    let s = &mut i.ostack[l - n..];
    let k = k.rem_euclid(n as i64) as usize;
    s.rotate_right(k);
    Ok(())
}
fn rot(i: &mut Interp) -> R {
    roll_by(i, 3, 1)
}
fn roll(i: &mut Interp) -> R {
    i.need(2)?;
    let k = i.int_at(0)?;
    let n = i.int_at(1)?;
    if n < 0 || (n as usize) > i.ostack.len() - 2 {
        return Err(SliErr::underflow(n.max(0) as usize + 2, i.ostack.len()));
    }
    i.popn(2);
    roll_by(i, n, k)
}
fn rollu(i: &mut Interp) -> R {
    roll_by(i, 3, 1)
}
fn rolld(i: &mut Interp) -> R {
    roll_by(i, 3, -1)
}
fn index(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.int_at(0)?;
    if n < 0 {
        return Err(SliErr::range(format!("index: negative index {n}")));
    }
    if (n as usize) + 1 >= i.ostack.len() {
        return Err(SliErr::underflow(n as usize + 2, i.ostack.len()));
    }
    let o = i.at(n as usize + 1).clone();
    i.ret(1, o)
}
fn copy(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.int_at(0)?;
    if n < 0 {
        return Err(SliErr::range(format!("copy: negative count {n}")));
    }
    if (n as usize) + 1 > i.ostack.len() {
        return Err(SliErr::underflow(n as usize + 1, i.ostack.len()));
    }
    i.check_size(i.ostack.len() + n as usize)?;
    i.popn(1);
    let l = i.ostack.len();
    let v: Vec<Obj> = i.ostack[l - n as usize..].to_vec();
    i.ostack.extend(v);
    Ok(())
}
fn clear(i: &mut Interp) -> R {
    i.ostack.clear();
    Ok(())
}
fn count(i: &mut Interp) -> R {
    let n = i.ostack.len() as i64;
    i.push(Obj::Int(n));
    Ok(())
}
fn mark(i: &mut Interp) -> R {
    i.push(Obj::Mark);
    Ok(())
}
/// Position of the topmost mark, counted from the top.
pub fn counttomark_n(i: &Interp) -> R<usize> {
    i.ostack
        .iter()
        .rev()
        .position(|o| matches!(o, Obj::Mark))
        .ok_or_else(|| SliErr::new("UnmatchedMark", "no mark on the operand stack"))
}
fn counttomark(i: &mut Interp) -> R {
    let n = counttomark_n(i)?;
    i.push(Obj::Int(n as i64));
    Ok(())
}
fn cleartomark(i: &mut Interp) -> R {
    let n = counttomark_n(i)?;
    i.popn(n + 1);
    Ok(())
}
fn npop(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.int_at(0)?;
    if n < 0 || n as usize + 1 > i.ostack.len() {
        return Err(SliErr::underflow(n.max(0) as usize + 1, i.ostack.len()));
    }
    i.popn(n as usize + 1);
    Ok(())
}
fn over(i: &mut Interp) -> R {
    i.need(2)?;
    let o = i.at(1).clone();
    i.push(o);
    Ok(())
}
fn restoreostack(i: &mut Interp) -> R {
    i.need(1)?;
    let a = i.arr_at(0)?;
    i.ostack = a.to_vec();
    Ok(())
}
fn operandstack(i: &mut Interp) -> R {
    let a = Obj::array(i.ostack.clone());
    i.push(a);
    Ok(())
}

/// The stack operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("dup", dup, "any dup -> any any", "1 dup -> 1 1", "pop, copy, index"),
    bi!("pop", pop, "any pop -> -", "1 2 pop -> 1", "dup, npop, clear"),
    bi!(";", pop, "any ; -> -", "1 2 ; -> 1", "pop"),
    bi!("exch", exch, "a b exch -> b a", "1 2 exch -> 2 1", "rot, roll"),
    bi!("rot", rot, "a b c rot -> c a b", "1 2 3 rot -> 3 1 2", "roll, rollu, rolld"),
    bi!("rollu", rollu, "a b c rollu -> c a b", "1 2 3 rollu -> 3 1 2", "rolld, roll"),
    bi!("rolld", rolld, "a b c rolld -> b c a", "1 2 3 rolld -> 2 3 1", "rollu, roll"),
    bi!("roll", roll, "a1..an n k roll -> rotated", "1 2 3 3 1 roll -> 3 1 2", "rot, index"),
    bi!("index", index, "an..a0 n index -> an..a0 an", "1 2 3 2 index -> 1 2 3 1", "pick, dup"),
    bi!("pick", index, "an..a0 n pick -> an..a0 an", "1 2 3 2 pick -> 1 2 3 1", "index"),
    bi!("copy", copy, "a1..an n copy -> a1..an a1..an", "1 2 2 copy -> 1 2 1 2", "dup, index"),
    bi!("clear", clear, "a1..an clear -> -", "1 2 clear count -> 0", "count, cleartomark"),
    bi!("count", count, "a1..an count -> a1..an n", "1 2 count -> 1 2 2", "clear, counttomark"),
    bi!("mark", mark, "mark -> mark", "mark 1 2 counttomark -> mark 1 2 2", "counttomark, cleartomark, ["),
    bi!(
        "counttomark",
        counttomark,
        "mark a1..an counttomark -> mark a1..an n",
        "mark 1 2 counttomark -> mark 1 2 2",
        "mark"
    ),
    bi!("cleartomark", cleartomark, "mark a1..an cleartomark -> -", "1 mark 2 3 cleartomark -> 1", "mark"),
    bi!("npop", npop, "a1..an n npop -> -", "1 2 3 2 npop -> 1", "pop"),
    bi!("over", over, "a b over -> a b a", "1 2 over -> 1 2 1", "dup, index"),
    bi!("restoreostack", restoreostack, "array restoreostack -> a1..an", "[1 2] restoreostack -> 1 2", "operandstack"),
    bi!(
        "operandstack",
        operandstack,
        "a1..an operandstack -> a1..an [a1..an]",
        "1 2 operandstack -> 1 2 [1 2]",
        "restoreostack"
    ),
];

#[cfg(test)]
mod tests {
    use crate::testing::eval_ok;
    #[test]
    fn stack_ops() {
        assert_eq!(eval_ok("1 2 3 rot"), "3 1 2");
        assert_eq!(eval_ok("1 2 3 3 -1 roll"), "2 3 1");
        assert_eq!(eval_ok("1 2 3 2 index"), "1 2 3 1");
        assert_eq!(eval_ok("1 2 2 copy count"), "1 2 1 2 4");
        assert_eq!(eval_ok("1 mark 2 3 cleartomark"), "1");
    }
}

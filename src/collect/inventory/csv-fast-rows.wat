;; The common case of an S3 Inventory CSV row, found with 16-byte vector compares: every field
;; double-quoted, none holding a quote of its own, exactly `cols` of them, the row ended by LF or
;; CRLF. Keys are URL-encoded in these reports, so nearly every row is such a row.
;;
;; rows(pos, end, cols, out, maxRows) reads rows from byte `pos` while they are of that shape and
;; returns how many it read; for row r it writes, at out + 8 * (r * cols + f), field f's first byte
;; and its closing quote's position (two i32s: the field is bytes [first, quote)). It stops at
;; the first row it cannot take whole (another shape, or one running past `end`) and leaves that
;; row's first byte in the global `stop`: the caller's general scanner decides what that row is.
;;
;; The caller guarantees a '"' at `end` (so every search for a quote ends by `end`) and 16
;; readable bytes after it (the vector loads), and room at `out` for `maxRows` rows.
;; Assembled by test/collect/inventory/csv-fast-rows.test.ts (S3E_UPDATE_WASM=1) into
;; csv-fast-rows-binary.ts, which the same test checks against this file.
(module
  (memory (export "memory") 1)
  (global $stop (export "stop") (mut i32) (i32.const 0))

  ;; The first '"' at or after p.
  (func $quote (param $p i32) (result i32)
    (local $mask i32)
    (loop $block
      (local.set $mask
        (i8x16.bitmask
          (i8x16.eq
            (v128.load align=1 (local.get $p))
            (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
      (if (local.get $mask)
        (then (return (i32.add (local.get $p) (i32.ctz (local.get $mask))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $block))
    unreachable)

  (func (export "rows")
    (param $pos i32) (param $end i32) (param $cols i32) (param $out i32) (param $maxRows i32)
    (result i32)
    (local $rows i32) (local $field i32) (local $first i32) (local $quote i32) (local $next i32)
    (local $slot i32)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $rows) (local.get $maxRows)))
        (br_if $done (i32.ge_u (local.get $pos) (local.get $end)))
        (br_if $done (i32.ne (i32.load8_u (local.get $pos)) (i32.const 34)))
        (local.set $first (i32.add (local.get $pos) (i32.const 1)))
        (local.set $field (i32.const 0))
        (loop $fields
          (local.set $quote (call $quote (local.get $first)))
          ;; The byte after the closing quote decides what comes next; it must be in the data.
          (br_if $done (i32.ge_u (i32.add (local.get $quote) (i32.const 1)) (local.get $end)))
          (local.set $slot
            (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $rows) (local.get $cols)) (local.get $field))
                (i32.const 3))))
          (i32.store (local.get $slot) (local.get $first))
          (i32.store offset=4 (local.get $slot) (local.get $quote))
          (local.set $field (i32.add (local.get $field) (i32.const 1)))
          (local.set $next (i32.load8_u offset=1 (local.get $quote)))
          (if (i32.lt_u (local.get $field) (local.get $cols))
            (then
              ;; '","' between fields; a '""' escape, an unquoted field or a short row is not ours.
              (br_if $done (i32.ne (local.get $next) (i32.const 44)))
              (br_if $done (i32.ge_u (i32.add (local.get $quote) (i32.const 2)) (local.get $end)))
              (br_if $done (i32.ne (i32.load8_u offset=2 (local.get $quote)) (i32.const 34)))
              (local.set $first (i32.add (local.get $quote) (i32.const 3)))
              (br $fields)))
          ;; After the last field: LF, or CR LF; anything else (a further field, text) is not ours.
          (if (i32.eq (local.get $next) (i32.const 10))
            (then (local.set $pos (i32.add (local.get $quote) (i32.const 2))))
            (else
              (br_if $done (i32.ne (local.get $next) (i32.const 13)))
              (br_if $done (i32.ge_u (i32.add (local.get $quote) (i32.const 2)) (local.get $end)))
              (br_if $done (i32.ne (i32.load8_u offset=2 (local.get $quote)) (i32.const 10)))
              (local.set $pos (i32.add (local.get $quote) (i32.const 3))))))
        (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
        (br $row)))
    (global.set $stop (local.get $pos))
    (local.get $rows)))

;; segbot's forest kernel: the two inner loops of propensity scoring, turning numbers into bin
;; codes and walking every tree for a block of customers. Plain JavaScript pays a bounds check and a
;; type guard on every typed-array access, and branches where this code selects; here binning runs
;; about four times faster and the tree walk about two and a half times, with bit-identical results
;; (`npm run bench -- forest` scores 1,000,000 customers with 100 trees).
;;
;; This file is the source. forest-kernel-wasm.ts holds it assembled (`npm run build:kernel`), and a
;; unit test checks that the two agree. forest-kernel.ts lays out the memory and calls these functions.
;;
;; Nodes (laid out by forestImage in forest-kernel.ts) are 8 bytes each, addressed by byte:
;;   word 0  feature in bits 0-15, numeric threshold in bits 16-23, ADD_ONE (bit 24: missing goes
;;           left), CATEGORICAL (bit 25), LEAF (bit 26)
;;   word 1  byte address of the left child; the right child is the next node
;;   aux     at node + auxDelta: a leaf's value (f32), or a categorical split's mask address
;; A leaf is a numeric split at threshold 255 whose left child is itself. No code is above 255, so
;; a walk that reaches a leaf stays there, and four walks run in step without a branch per walk.
(module
  (memory (export "memory") 1)

  ;; out[i] = the bin code of values[i]: how many thresholds lie below it, or 255 when it is NaN.
  ;; `thresholds` holds 256 ascending f64 cut points, padded with +Infinity. Eight halving steps,
  ;; each a select rather than a branch, so random values cost the same as sorted ones.
  (func (export "bin_numeric")
    (param $values i32) (param $count i32) (param $thresholds i32) (param $out i32)
    (local $i i32) (local $x f64) (local $p i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $x (f64.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $p (select (i32.const 128) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=1016 (local.get $thresholds)))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 64) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=504
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 32) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=248
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 16) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=120
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 8) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=56
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 4) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=24
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 2) (i32.const 0)
          (f64.gt (local.get $x) (f64.load offset=8
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (select (i32.const 1) (i32.const 0)
          (f64.gt (local.get $x) (f64.load
            (i32.add (local.get $thresholds) (i32.shl (local.get $p) (i32.const 3))))))))
        (i32.store8 (i32.add (local.get $out) (local.get $i))
          (select (local.get $p) (i32.const 255) (f64.eq (local.get $x) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; sums[k] += the value of the leaf customer k reaches, for every tree and k in [0, rows). `rows`
  ;; is a multiple of 4: lanes past the real customers walk stale codes harmlessly and are ignored.
  ;; The block is column-major: customer k's code for feature f is at block + (f << shift) + k.
  ;; Trees go one at a time over the whole block, so a tree's nodes stay in cache, and four
  ;; customers walk side by side so the processor can overlap their memory loads.
  (func (export "score_block")
    (param $roots i32) (param $trees i32) (param $auxDelta i32)
    (param $block i32) (param $shift i32) (param $rows i32) (param $sums i32)
    (local $t i32) (local $k i32) (local $root i32) (local $rootWord i32) (local $at i32)
    (local $b0 i32) (local $code i32)
    (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (block $treesDone
      (loop $eachTree
        (br_if $treesDone (i32.ge_u (local.get $t) (local.get $trees)))
        (local.set $root (i32.load (i32.add (local.get $roots) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $rootWord (i32.load (local.get $root)))
        (local.set $k (i32.const 0))
        (block $rowsDone
          (loop $eachFour
            (br_if $rowsDone (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $b0 (i32.add (local.get $block) (local.get $k)))
            (local.set $n0 (local.get $root)) (local.set $w0 (local.get $rootWord))
            (local.set $n1 (local.get $root)) (local.set $w1 (local.get $rootWord))
            (local.set $n2 (local.get $root)) (local.set $w2 (local.get $rootWord))
            (local.set $n3 (local.get $root)) (local.set $w3 (local.get $rootWord))
            (loop $walk
              ;; customer k+0: its code for the node's feature, then one step down
              (local.set $code (i32.load8_u (i32.add (local.get $b0)
                (i32.shl (i32.and (local.get $w0) (i32.const 0xffff)) (local.get $shift)))))
              (local.set $n0 (i32.add (i32.load offset=4 (local.get $n0)) (i32.shl
                (if (result i32) (i32.and (local.get $w0) (i32.const 0x2000000))
                  (then ;; categorical: left when the code's bit is set in the node's 32-byte mask
                    (i32.xor (i32.const 1) (i32.and (i32.const 1) (i32.shr_u
                      (i32.load8_u (i32.add (i32.load (i32.add (local.get $n0) (local.get $auxDelta)))
                        (i32.shr_u (local.get $code) (i32.const 3))))
                      (i32.and (local.get $code) (i32.const 7))))))
                  (else ;; numeric: right when the code (plus 1 if missing goes left, so 255 wraps
                        ;; to 0) is above the threshold; (threshold - code) >>> 31 says so branch-free
                    (i32.shr_u (i32.sub
                      (i32.and (i32.shr_u (local.get $w0) (i32.const 16)) (i32.const 255))
                      (i32.and (i32.const 255) (i32.add (local.get $code)
                        (i32.and (i32.shr_u (local.get $w0) (i32.const 24)) (i32.const 1)))))
                      (i32.const 31))))
                (i32.const 3))))
              (local.set $w0 (i32.load (local.get $n0)))
              ;; customer k+1: its code for the node's feature, then one step down
              (local.set $code (i32.load8_u offset=1 (i32.add (local.get $b0)
                (i32.shl (i32.and (local.get $w1) (i32.const 0xffff)) (local.get $shift)))))
              (local.set $n1 (i32.add (i32.load offset=4 (local.get $n1)) (i32.shl
                (if (result i32) (i32.and (local.get $w1) (i32.const 0x2000000))
                  (then ;; categorical: left when the code's bit is set in the node's 32-byte mask
                    (i32.xor (i32.const 1) (i32.and (i32.const 1) (i32.shr_u
                      (i32.load8_u (i32.add (i32.load (i32.add (local.get $n1) (local.get $auxDelta)))
                        (i32.shr_u (local.get $code) (i32.const 3))))
                      (i32.and (local.get $code) (i32.const 7))))))
                  (else ;; numeric: right when the code (plus 1 if missing goes left, so 255 wraps
                        ;; to 0) is above the threshold; (threshold - code) >>> 31 says so branch-free
                    (i32.shr_u (i32.sub
                      (i32.and (i32.shr_u (local.get $w1) (i32.const 16)) (i32.const 255))
                      (i32.and (i32.const 255) (i32.add (local.get $code)
                        (i32.and (i32.shr_u (local.get $w1) (i32.const 24)) (i32.const 1)))))
                      (i32.const 31))))
                (i32.const 3))))
              (local.set $w1 (i32.load (local.get $n1)))
              ;; customer k+2: its code for the node's feature, then one step down
              (local.set $code (i32.load8_u offset=2 (i32.add (local.get $b0)
                (i32.shl (i32.and (local.get $w2) (i32.const 0xffff)) (local.get $shift)))))
              (local.set $n2 (i32.add (i32.load offset=4 (local.get $n2)) (i32.shl
                (if (result i32) (i32.and (local.get $w2) (i32.const 0x2000000))
                  (then ;; categorical: left when the code's bit is set in the node's 32-byte mask
                    (i32.xor (i32.const 1) (i32.and (i32.const 1) (i32.shr_u
                      (i32.load8_u (i32.add (i32.load (i32.add (local.get $n2) (local.get $auxDelta)))
                        (i32.shr_u (local.get $code) (i32.const 3))))
                      (i32.and (local.get $code) (i32.const 7))))))
                  (else ;; numeric: right when the code (plus 1 if missing goes left, so 255 wraps
                        ;; to 0) is above the threshold; (threshold - code) >>> 31 says so branch-free
                    (i32.shr_u (i32.sub
                      (i32.and (i32.shr_u (local.get $w2) (i32.const 16)) (i32.const 255))
                      (i32.and (i32.const 255) (i32.add (local.get $code)
                        (i32.and (i32.shr_u (local.get $w2) (i32.const 24)) (i32.const 1)))))
                      (i32.const 31))))
                (i32.const 3))))
              (local.set $w2 (i32.load (local.get $n2)))
              ;; customer k+3: its code for the node's feature, then one step down
              (local.set $code (i32.load8_u offset=3 (i32.add (local.get $b0)
                (i32.shl (i32.and (local.get $w3) (i32.const 0xffff)) (local.get $shift)))))
              (local.set $n3 (i32.add (i32.load offset=4 (local.get $n3)) (i32.shl
                (if (result i32) (i32.and (local.get $w3) (i32.const 0x2000000))
                  (then ;; categorical: left when the code's bit is set in the node's 32-byte mask
                    (i32.xor (i32.const 1) (i32.and (i32.const 1) (i32.shr_u
                      (i32.load8_u (i32.add (i32.load (i32.add (local.get $n3) (local.get $auxDelta)))
                        (i32.shr_u (local.get $code) (i32.const 3))))
                      (i32.and (local.get $code) (i32.const 7))))))
                  (else ;; numeric: right when the code (plus 1 if missing goes left, so 255 wraps
                        ;; to 0) is above the threshold; (threshold - code) >>> 31 says so branch-free
                    (i32.shr_u (i32.sub
                      (i32.and (i32.shr_u (local.get $w3) (i32.const 16)) (i32.const 255))
                      (i32.and (i32.const 255) (i32.add (local.get $code)
                        (i32.and (i32.shr_u (local.get $w3) (i32.const 24)) (i32.const 1)))))
                      (i32.const 31))))
                (i32.const 3))))
              (local.set $w3 (i32.load (local.get $n3)))
              ;; on until all four stand on a leaf
              (br_if $walk (i32.eqz (i32.and (i32.const 0x4000000)
                (i32.and (i32.and (local.get $w0) (local.get $w1))
                         (i32.and (local.get $w2) (local.get $w3)))))))
            (local.set $at (i32.add (local.get $sums) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
              (f64.promote_f32 (f32.load (i32.add (local.get $n0) (local.get $auxDelta))))))
            (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at))
              (f64.promote_f32 (f32.load (i32.add (local.get $n1) (local.get $auxDelta))))))
            (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at))
              (f64.promote_f32 (f32.load (i32.add (local.get $n2) (local.get $auxDelta))))))
            (f64.store offset=24 (local.get $at) (f64.add (f64.load offset=24 (local.get $at))
              (f64.promote_f32 (f32.load (i32.add (local.get $n3) (local.get $auxDelta))))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $eachFour)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $eachTree))))
)

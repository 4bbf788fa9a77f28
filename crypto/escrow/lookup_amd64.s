#include "textflag.h"

// func lookupRowAVX2(e *[16]uint64, row *[8][16]uint64, abs uint64)
//
// e = the multiple abs of row (1…8), or zeros for 0, reading all eight
// multiples: each 128-byte multiple is ANDed, as four 32-byte registers,
// with a mask that is all ones only when its number equals abs, and ORed
// into the result. No branch or address depends on abs.
TEXT ·lookupRowAVX2(SB), NOSPLIT, $0-24
	MOVQ e+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ abs+16(FP), AX
	VMOVQ AX, X15
	VPBROADCASTQ X15, Y15 // abs in every lane
	MOVQ $1, BX
	VMOVQ BX, X12
	VPBROADCASTQ X12, Y12 // 1 in every lane
	VMOVDQU Y12, Y11      // the multiple's number, 1…8
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	MOVQ $8, CX

loop:
	VPCMPEQQ Y11, Y15, Y13
	VPAND (SI), Y13, Y4
	VPOR  Y4, Y0, Y0
	VPAND 32(SI), Y13, Y5
	VPOR  Y5, Y1, Y1
	VPAND 64(SI), Y13, Y6
	VPOR  Y6, Y2, Y2
	VPAND 96(SI), Y13, Y7
	VPOR  Y7, Y3, Y3
	VPADDQ Y12, Y11, Y11
	ADDQ $128, SI
	DECQ CX
	JNZ  loop

	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	VMOVDQU Y2, 64(DI)
	VMOVDQU Y3, 96(DI)
	VZEROUPPER
	RET

//go:build !purego

#include "textflag.h"

// func lookupNielsAVX2(np *ed.NielsPoint, row *[8][32]uint64, abs, neg uint64)
//
// lookupNielsGeneric with AVX2. Each 256-byte multiple of the row is
// ANDed, as eight 32-byte registers, with a mask that is all ones only
// when its number equals abs, and ORed into the result; the identity's
// two ones are ORed in under the mask of abs = 0; then y+x and y−x are
// swapped, and 2dxy replaced by −2dxy, under neg. No branch or address
// depends on abs or neg.
TEXT ·lookupNielsAVX2(SB), NOSPLIT, $0-32
	MOVQ np+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ abs+16(FP), AX
	MOVQ neg+24(FP), DX
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
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	MOVQ $8, CX

loop:
	VPCMPEQQ Y11, Y15, Y13
	VPAND (SI), Y13, Y14
	VPOR  Y14, Y0, Y0
	VPAND 32(SI), Y13, Y14
	VPOR  Y14, Y1, Y1
	VPAND 64(SI), Y13, Y14
	VPOR  Y14, Y2, Y2
	VPAND 96(SI), Y13, Y14
	VPOR  Y14, Y3, Y3
	VPAND 128(SI), Y13, Y14
	VPOR  Y14, Y4, Y4
	VPAND 160(SI), Y13, Y14
	VPOR  Y14, Y5, Y5
	VPAND 192(SI), Y13, Y14
	VPOR  Y14, Y6, Y6
	VPAND 224(SI), Y13, Y14
	VPOR  Y14, Y7, Y7
	VPADDQ Y12, Y11, Y11
	ADDQ $256, SI
	DECQ CX
	JNZ  loop

	// The identity: 1 in the first limb of y+x and of y−x when abs = 0.
	SUBQ $1, AX
	SHRQ $63, AX           // 1 when abs = 0, else 0
	VMOVQ AX, X13          // in the lowest lane only
	VPOR  Y13, Y0, Y0
	VPOR  Y13, Y2, Y2

	// Negation under neg: swap y+x (Y0, Y1) and y−x (Y2, Y3); take −2dxy
	// (Y6, Y7) for 2dxy (Y4, Y5).
	VMOVQ DX, X15
	VPBROADCASTQ X15, Y15
	VPXOR Y0, Y2, Y8
	VPAND Y15, Y8, Y8
	VPXOR Y8, Y0, Y0
	VPXOR Y8, Y2, Y2
	VPXOR Y1, Y3, Y9
	VPAND Y15, Y9, Y9
	VPXOR Y9, Y1, Y1
	VPXOR Y9, Y3, Y3
	VPXOR Y4, Y6, Y8
	VPAND Y15, Y8, Y8
	VPXOR Y8, Y4, Y4
	VPXOR Y5, Y7, Y9
	VPAND Y15, Y9, Y9
	VPXOR Y9, Y5, Y5

	// np is three five-limb field elements, 120 bytes.
	VMOVDQU Y0, (DI)
	VMOVQ   X1, 32(DI)
	VMOVDQU Y2, 40(DI)
	VMOVQ   X3, 72(DI)
	VMOVDQU Y4, 80(DI)
	VMOVQ   X5, 112(DI)
	VZEROUPPER
	RET

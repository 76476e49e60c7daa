package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// JPEG markers.
const (
	jpegSOI  = 0xD8
	jpegEOI  = 0xD9
	jpegSOS  = 0xDA
	jpegAPP0 = 0xE0
	jpegAPP1 = 0xE1
	jpegAPP2 = 0xE2
	jpegAPPE = 0xEE
	jpegAPPF = 0xEF
	jpegCOM  = 0xFE
)

// cleanJPEG rewrites a JPEG segment by segment, keeping what decoding needs and dropping every other
// application segment and comment: EXIF (APP1, with its GPS position and its thumbnail, which has EXIF
// of its own), XMP (APP1), Photoshop and IPTC (APP13), FlashPix and MPF (APP2, which point at further
// images after the end), maker data, and anything after the end-of-image marker. It keeps the JFIF
// header (APP0), the colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14), which
// change how the pixels decode. The orientation is carried over in a new, minimal EXIF segment that
// holds nothing else.
func cleanJPEG(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != jpegSOI {
		return nil, malformed("no JPEG start marker")
	}
	var jfif []byte     // the APP0 JFIF segment, which must stay first
	var segments []byte // everything else kept, in order
	orientation := 0
	off := 2
	for {
		// Markers may be preceded by any number of 0xFF fill bytes.
		if off >= len(b) || b[off] != 0xFF {
			return nil, malformed("expected a JPEG marker at %d", off)
		}
		for off < len(b) && b[off] == 0xFF {
			off++
		}
		if off >= len(b) {
			return nil, malformed("JPEG ends inside a marker")
		}
		marker := b[off]
		off++
		switch {
		case marker == jpegEOI:
			out := make([]byte, 0, len(b))
			out = append(out, 0xFF, jpegSOI)
			out = append(out, jfif...)
			if orientation > 1 {
				out = append(out, exifOrientationSegment(orientation)...)
			}
			out = append(out, segments...)
			return append(out, 0xFF, jpegEOI), nil
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01:
			// Restart markers and TEM stand alone, without a length.
			segments = append(segments, 0xFF, marker)
			continue
		}
		if off+2 > len(b) {
			return nil, malformed("JPEG ends inside a segment length")
		}
		length := int(binary.BigEndian.Uint16(b[off:]))
		if length < 2 || off+length > len(b) {
			return nil, malformed("JPEG segment does not fit")
		}
		segment := b[off-2 : off+length] // with its marker
		payload := b[off+2 : off+length]
		off += length
		switch {
		case marker == jpegAPP0 && bytes.HasPrefix(payload, []byte("JFIF\x00")) && jfif == nil:
			jfif = segment
		case marker == jpegAPP1 && bytes.HasPrefix(payload, []byte("Exif\x00\x00")):
			if o := tiffOrientation(payload[6:]); o != 0 && orientation == 0 {
				orientation = o
			}
		case marker == jpegAPP2 && bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00")),
			marker == jpegAPPE && bytes.HasPrefix(payload, []byte("Adobe")):
			segments = append(segments, segment...)
		case marker >= jpegAPP0 && marker <= jpegAPPF, marker == jpegCOM:
			// Dropped: metadata and comments.
		case marker == jpegSOS:
			segments = append(segments, segment...)
			end := entropyEnd(b, off)
			segments = append(segments, b[off:end]...)
			off = end
		default:
			segments = append(segments, segment...)
		}
	}
}

// entropyEnd finds where the entropy-coded data after a start-of-scan ends: at the first marker that
// is neither a stuffed zero (FF 00) nor a restart marker.
func entropyEnd(b []byte, off int) int {
	for i := off; i+1 < len(b); i++ {
		if b[i] != 0xFF {
			continue
		}
		// FF FF is fill before a marker; the next byte decides.
		if next := b[i+1]; next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7) {
			return i
		}
	}
	return len(b) // no end marker: cleanJPEG then reports the file as malformed
}

// tiffOrientation reads the Orientation tag (0x0112) of IFD0 in a TIFF structure, as EXIF holds it;
// 0 when it is absent or not valid.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	if order.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	n := int(order.Uint16(t[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 0
		}
		if order.Uint16(t[e:]) != 0x0112 {
			continue
		}
		if order.Uint16(t[e+2:]) != 3 || order.Uint32(t[e+4:]) != 1 { // one SHORT
			return 0
		}
		if v := int(order.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 0
	}
	return 0
}

// minimalTIFF is a TIFF structure with one IFD holding only the orientation.
func minimalTIFF(orientation int) []byte {
	t := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(t[18:], uint16(orientation))
	return t
}

// exifOrientationSegment is an APP1 EXIF segment with only the orientation.
func exifOrientationSegment(orientation int) []byte {
	payload := append([]byte("Exif\x00\x00"), minimalTIFF(orientation)...)
	seg := []byte{0xFF, jpegAPP1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// pngKeep are the PNG chunks that affect how an image looks, and so are kept: the critical chunks,
// colour and transparency information, physical size, and animation (APNG). Everything else is dropped,
// above all eXIf (EXIF, with GPS), tEXt, zTXt and iTXt (free text and XMP), tIME, and private chunks.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true, "cHRM": true, "gAMA": true,
	"iCCP": true, "sBIT": true, "sRGB": true, "cICP": true, "mDCV": true, "cLLI": true, "bKGD": true,
	"hIST": true, "pHYs": true, "sPLT": true, "acTL": true, "fcTL": true, "fdAT": true,
}

// cleanPNG keeps the chunks in pngKeep, and the orientation in a minimal eXIf chunk in place of the
// original one.
func cleanPNG(b []byte) ([]byte, error) {
	out := append(make([]byte, 0, len(b)), pngSignature...)
	off := len(pngSignature)
	for {
		if off+12 > len(b) {
			return nil, malformed("PNG ends before IEND")
		}
		n := binary.BigEndian.Uint32(b[off:])
		if uint64(n) > uint64(len(b)-off-12) {
			return nil, malformed("PNG chunk does not fit")
		}
		typ := string(b[off+4 : off+8])
		end := off + 12 + int(n)
		switch {
		case pngKeep[typ]:
			out = append(out, b[off:end]...)
		case typ == "eXIf":
			if o := tiffOrientation(b[off+8 : off+8+int(n)]); o > 1 {
				out = append(out, pngChunk("eXIf", minimalTIFF(o))...)
			}
		}
		off = end
		if typ == "IEND" {
			return out, nil // anything after the end is dropped
		}
	}
}

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// webpKeep are the WebP chunks decoding needs. EXIF and XMP are dropped, as is anything unknown.
// WebP viewers do not apply an EXIF orientation, so none is kept.
var webpKeep = map[string]bool{"VP8 ": true, "VP8L": true, "VP8X": true, "ANIM": true, "ANMF": true, "ALPH": true, "ICCP": true}

// VP8X flags that announce metadata chunks.
const (
	webpFlagXMP  = 0x04
	webpFlagEXIF = 0x08
)

// cleanWebP drops the metadata chunks of a WebP file, clears the flags that announce them, and fixes
// the RIFF size.
func cleanWebP(b []byte) ([]byte, error) {
	if len(b) < 12 {
		return nil, malformed("WebP too short")
	}
	riffEnd := 8 + int(binary.LittleEndian.Uint32(b[4:]))
	if riffEnd > len(b) || riffEnd < 12 {
		return nil, malformed("WebP RIFF size does not fit")
	}
	out := append(make([]byte, 0, len(b)), b[:12]...)
	for off := 12; off < riffEnd; {
		if off+8 > riffEnd {
			return nil, malformed("WebP chunk header does not fit")
		}
		typ := string(b[off : off+4])
		n := int(binary.LittleEndian.Uint32(b[off+4:]))
		end := off + 8 + n + n%2 // chunks are padded to an even size
		if n < 0 || end > riffEnd && off+8+n != riffEnd {
			return nil, malformed("WebP chunk does not fit")
		}
		end = min(end, riffEnd)
		if webpKeep[typ] {
			start := len(out)
			out = append(out, b[off:end]...)
			if typ == "VP8X" && n >= 1 {
				out[start+8] &^= webpFlagXMP | webpFlagEXIF
			}
		}
		off = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}

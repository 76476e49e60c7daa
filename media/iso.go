package media

import (
	"encoding/binary"
	"strings"
)

// ISO base media files (HEIF/HEIC, AVIF, MP4 audio) locate their data by absolute offsets, so cutting a
// box out would mean rewriting every offset table. Instead, metadata is blanked in place: its bytes are
// zeroed (and, for whole boxes, the box is renamed "free", which every reader skips), so the file keeps
// its length and every offset in it stays true.

// isoBox is one box, by absolute offsets into the file.
type isoBox struct {
	typ        string
	start, end int // the whole box
	body       int // where its contents start
}

// isoBoxes lists the boxes in b[from:to]. It fails on any box that does not fit, because a parser
// that guesses past damage could miss the metadata it is looking for.
func isoBoxes(b []byte, from, to int) ([]isoBox, bool) {
	var out []isoBox
	for off := from; off < to; {
		if to-off < 8 {
			return nil, false
		}
		size := uint64(binary.BigEndian.Uint32(b[off:]))
		header := 8
		switch size {
		case 0: // to the end of the enclosing space
			size = uint64(to - off)
		case 1: // 64-bit size follows the type
			if to-off < 16 {
				return nil, false
			}
			size = binary.BigEndian.Uint64(b[off+8:])
			header = 16
		}
		typ := string(b[off+4 : off+8])
		if typ == "uuid" {
			header += 16
		}
		if size < uint64(header) || size > uint64(to-off) {
			return nil, false
		}
		out = append(out, isoBox{typ: typ, start: off, end: off + int(size), body: off + header})
		off += int(size)
	}
	return out, true
}

// findBox returns the body of the first box of type typ at the top level of b.
func findBox(b []byte, typ string) ([]byte, bool) {
	all, ok := isoBoxes(b, 0, len(b))
	if !ok {
		return nil, false
	}
	for _, x := range all {
		if x.typ == typ {
			return b[x.body:x.end], true
		}
	}
	return nil, false
}

// childBoxes returns the bodies of the boxes of type typ at the top level of b; nil if b does not parse.
func childBoxes(b []byte, typ string) [][]byte {
	all, ok := isoBoxes(b, 0, len(b))
	if !ok {
		return nil
	}
	var out [][]byte
	for _, x := range all {
		if x.typ == typ {
			out = append(out, b[x.body:x.end])
		}
	}
	return out
}

// blankBox turns a box into padding: renamed "free", contents zeroed.
func blankBox(b []byte, x isoBox) {
	copy(b[x.start+4:], "free")
	clear(b[x.start+8 : x.end])
}

// cleanMP4Audio blanks the user-data, metadata and vendor (uuid) boxes of an MP4-family recording:
// phones write the place a recording was made (©xyz), and titles naming it, there. Decoding needs none
// of them.
func cleanMP4Audio(in []byte) ([]byte, error) {
	b := clone(in)
	top, ok := isoBoxes(b, 0, len(b))
	if !ok {
		return nil, malformed("MP4 boxes do not fit")
	}
	personal := func(typ string) bool { return typ == "udta" || typ == "meta" || typ == "uuid" }
	for _, x := range top {
		if personal(x.typ) {
			blankBox(b, x)
			continue
		}
		if x.typ != "moov" {
			continue
		}
		inMoov, ok := isoBoxes(b, x.body, x.end)
		if !ok {
			return nil, malformed("moov boxes do not fit")
		}
		for _, y := range inMoov {
			if personal(y.typ) {
				blankBox(b, y)
				continue
			}
			if y.typ != "trak" {
				continue
			}
			inTrak, ok := isoBoxes(b, y.body, y.end)
			if !ok {
				return nil, malformed("trak boxes do not fit")
			}
			for _, z := range inTrak {
				if personal(z.typ) {
					blankBox(b, z)
				}
			}
		}
	}
	return b, nil
}

// cleanHEIF zeroes the Exif and XMP items of a HEIF image (HEIC or AVIF) where the item location table
// says they are. The items stay declared, with zeroed contents, which readers take as no metadata;
// rotation and mirroring live in the image's own properties (irot, imir), not in Exif, so the photo
// still shows the right way up.
func cleanHEIF(in []byte) ([]byte, error) {
	b := clone(in)
	top, ok := isoBoxes(b, 0, len(b))
	if !ok {
		return nil, malformed("HEIF boxes do not fit")
	}
	var meta *isoBox
	for i := range top {
		switch top[i].typ {
		case "meta":
			meta = &top[i]
		case "udta", "uuid":
			blankBox(b, top[i])
		}
	}
	if meta == nil || meta.end-meta.body < 4 {
		return nil, malformed("HEIF without a meta box")
	}
	children, ok := isoBoxes(b, meta.body+4, meta.end) // meta is a full box: skip version and flags
	if !ok {
		return nil, malformed("HEIF meta boxes do not fit")
	}
	var iinf, iloc, idat *isoBox
	for i := range children {
		switch children[i].typ {
		case "iinf":
			iinf = &children[i]
		case "iloc":
			iloc = &children[i]
		case "idat":
			idat = &children[i]
		}
	}
	if iinf == nil || iloc == nil {
		return nil, malformed("HEIF without item information or locations")
	}
	targets, err := heifMetadataItems(b[iinf.body:iinf.end])
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return b, nil
	}
	extents, err := heifItemExtents(b[iloc.body:iloc.end], targets)
	if err != nil {
		return nil, err
	}
	// Item data must lie in a media data box (or the meta box's idat): an extent that points at the
	// file's own structure is not metadata, and blanking it would break the file.
	var mdats [][2]uint64
	for _, x := range top {
		if x.typ == "mdat" {
			mdats = append(mdats, [2]uint64{uint64(x.body), uint64(x.end)})
		}
	}
	for _, e := range extents {
		containers := mdats
		if e.inIdat {
			if idat == nil {
				return nil, malformed("HEIF item in a missing idat")
			}
			containers = [][2]uint64{{uint64(idat.body), uint64(idat.end)}}
		}
		if !blankExtent(b, e, containers) {
			return nil, malformed("HEIF metadata item outside the media data")
		}
	}
	return b, nil
}

// blankExtent zeroes an item extent if it lies wholly inside one of the containers ([body, end) of a
// box); for idat, offsets count from the start of its body.
func blankExtent(b []byte, e heifExtent, containers [][2]uint64) bool {
	for _, c := range containers {
		start, limit := e.offset, c[1]
		if e.inIdat {
			start += c[0]
		}
		end := start + e.length
		if e.length == 0 { // zero means "to the end"
			end = limit
		}
		if start < e.offset || end < start { // overflow
			return false
		}
		if start >= c[0] && end <= limit {
			clear(b[start:end])
			return true
		}
	}
	return false
}

// heifMetadataItems returns the ids of the Exif and XMP items declared in an iinf body.
func heifMetadataItems(body []byte) (map[uint32]bool, error) {
	r := byteReader{b: body}
	version := r.u8()
	r.skip(3)
	count := uint32(r.u16())
	if version != 0 {
		count = r.u32()
	}
	infos, ok := isoBoxes(body, r.off, len(body))
	if r.bad || !ok || uint32(len(infos)) < count {
		return nil, malformed("HEIF item information does not parse")
	}
	items := map[uint32]bool{}
	for _, x := range infos {
		if x.typ != "infe" {
			continue
		}
		e := byteReader{b: body[x.body:x.end]}
		v := e.u8()
		e.skip(3)
		var id uint32
		var itemType, contentType string
		switch {
		case v >= 2:
			if v == 2 {
				id = uint32(e.u16())
			} else {
				id = e.u32()
			}
			e.skip(2) // protection index
			itemType = string(e.take(4))
			e.cstring() // item name
			if itemType == "mime" {
				contentType = e.cstring()
			}
		default:
			id = uint32(e.u16())
			e.skip(2)
			e.cstring()
			itemType, contentType = "mime", e.cstring()
		}
		if e.bad {
			return nil, malformed("HEIF item entry does not parse")
		}
		ct := strings.ToLower(contentType)
		if itemType == "Exif" || itemType == "mime" && (strings.Contains(ct, "xmp") || strings.Contains(ct, "rdf+xml")) {
			items[id] = true
		}
	}
	return items, nil
}

// heifExtent is where part of an item's data lies: in the file, or inside the meta box's idat.
type heifExtent struct {
	offset, length uint64
	inIdat         bool
}

// heifItemExtents reads an iloc body and returns the extents of the wanted items. An item built by
// reference to other items (construction method 2) is refused: its bytes could not be blanked alone.
func heifItemExtents(body []byte, wanted map[uint32]bool) ([]heifExtent, error) {
	r := byteReader{b: body}
	version := r.u8()
	r.skip(3)
	sizes := r.u8()
	offsetSize, lengthSize := int(sizes>>4), int(sizes&0x0F)
	sizes = r.u8()
	baseSize, indexSize := int(sizes>>4), 0
	if version == 1 || version == 2 {
		indexSize = int(sizes & 0x0F)
	}
	count := uint32(r.u16())
	if version == 2 {
		count = r.u32()
	}
	var out []heifExtent
	for range count {
		if r.bad {
			break
		}
		id := uint32(r.u16())
		if version == 2 {
			id = r.u32()
		}
		method := 0
		if version == 1 || version == 2 {
			method = int(r.u16() & 0x0F)
		}
		dataRef := r.u16()
		base := r.uint(baseSize)
		extents := int(r.u16())
		for range extents {
			if indexSize > 0 {
				r.uint(indexSize)
			}
			off, length := r.uint(offsetSize), r.uint(lengthSize)
			if r.bad {
				return nil, malformed("HEIF item locations do not parse")
			}
			if !wanted[id] || dataRef != 0 { // dataRef ≠ 0: the data is in another file, not here
				continue
			}
			if method > 1 {
				return nil, malformed("HEIF metadata item built from other items")
			}
			out = append(out, heifExtent{offset: base + off, length: length, inIdat: method == 1})
		}
	}
	if r.bad {
		return nil, malformed("HEIF item locations do not parse")
	}
	return out, nil
}

// byteReader reads big-endian fields; after a read past the end, bad is set and reads return zero.
type byteReader struct {
	b   []byte
	off int
	bad bool
}

func (r *byteReader) take(n int) []byte {
	if r.bad || n < 0 || len(r.b)-r.off < n {
		r.bad = true
		return make([]byte, max(n, 0))
	}
	v := r.b[r.off : r.off+n]
	r.off += n
	return v
}

func (r *byteReader) skip(n int) { r.take(n) }
func (r *byteReader) u8() byte   { return r.take(1)[0] }
func (r *byteReader) u16() uint16 {
	return binary.BigEndian.Uint16(r.take(2))
}
func (r *byteReader) u32() uint32 { return binary.BigEndian.Uint32(r.take(4)) }

// uint reads an unsigned field of 0, 4 or 8 bytes, the sizes iloc allows.
func (r *byteReader) uint(size int) uint64 {
	switch size {
	case 0:
		return 0
	case 4:
		return uint64(r.u32())
	case 8:
		return binary.BigEndian.Uint64(r.take(8))
	}
	r.bad = true
	return 0
}

// cstring reads a NUL-terminated string.
func (r *byteReader) cstring() string {
	if r.bad {
		return ""
	}
	for i := r.off; i < len(r.b); i++ {
		if r.b[i] == 0 {
			s := string(r.b[r.off:i])
			r.off = i + 1
			return s
		}
	}
	r.bad = true
	return ""
}

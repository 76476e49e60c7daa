package media

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// Sniff tells what b is from its content alone. Signatures are checked strictly, and where a signature
// is short or shared with formats Aman does not accept (MPEG frames, ISO media files, Ogg, WebM), the
// structure behind it is checked too: a video is not a voice recording because it is an MP4.
func Sniff(b []byte) (Type, error) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return JPEG, nil
	case bytes.HasPrefix(b, pngSignature):
		return PNG, nil
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP, nil
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return WAV, nil
	case bytes.HasPrefix(b, []byte("fLaC")):
		return FLAC, nil
	case bytes.HasPrefix(b, []byte("#!AMR\n")), bytes.HasPrefix(b, []byte("#!AMR-WB\n")):
		return AMR, nil
	case bytes.HasPrefix(b, []byte("OggS")):
		return sniffOgg(b)
	case bytes.HasPrefix(b, ebmlMagic):
		return sniffWebM(b)
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffISO(b)
	case isPDF(b):
		return PDF, nil
	}
	return sniffMPEGAudio(b)
}

var pngSignature = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}

// isPDF accepts the header anywhere in the first kilobyte, as PDF readers do (some producers write a
// few bytes before it).
func isPDF(b []byte) bool {
	return bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-"))
}

// sniffOgg accepts an Ogg stream whose first packet opens an audio codec (Opus, Vorbis, FLAC, Speex);
// an Ogg video (Theora) is refused.
func sniffOgg(b []byte) (Type, error) {
	if len(b) < 27 || b[4] != 0 {
		return Type{}, ErrUnsupported
	}
	segments := int(b[26])
	start := 27 + segments
	if len(b) < start {
		return Type{}, ErrUnsupported
	}
	packet := b[start:]
	for _, head := range []string{"OpusHead", "\x01vorbis", "\x7fFLAC", "Speex   "} {
		if bytes.HasPrefix(packet, []byte(head)) {
			return Ogg, nil
		}
	}
	return Type{}, ErrUnsupported
}

// sniffISO reads an ISO base media file (MP4, M4A, 3GP, HEIF, AVIF): its brands say which family it
// belongs to, and for the audio family its tracks must all be sound.
func sniffISO(b []byte) (Type, error) {
	size := int(binary.BigEndian.Uint32(b[0:4]))
	if size < 16 || size > len(b) || size%4 != 0 {
		return Type{}, ErrUnsupported
	}
	major := string(b[8:12])
	brands := []string{major}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(b[i:i+4]))
	}
	has := func(names ...string) bool {
		for _, x := range brands {
			for _, n := range names {
				if x == n {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("heic", "heix", "heim", "heis"):
		return HEIC, nil
	case has("avif", "avis"):
		return AVIF, nil
	}
	audio := M4A
	if strings.HasPrefix(major, "3gp") || strings.HasPrefix(major, "3g2") {
		audio = ThreeGPP
	}
	if has("M4A ", "M4B ", "isom", "iso2", "mp41", "mp42", "3gp4", "3gp5", "3gp6", "3g2a") && onlySoundTracks(b) {
		return audio, nil
	}
	return Type{}, ErrUnsupported
}

// onlySoundTracks tells whether an ISO media file has at least one track and only sound tracks.
func onlySoundTracks(b []byte) bool {
	moov, ok := findBox(b, "moov")
	if !ok {
		return false
	}
	sound := 0
	for _, trak := range childBoxes(moov, "trak") {
		mdia, ok := findBox(trak, "mdia")
		if !ok {
			return false
		}
		hdlr, ok := findBox(mdia, "hdlr")
		// hdlr is a full box: version and flags (4), pre_defined (4), then the handler type.
		if !ok || len(hdlr) < 12 {
			return false
		}
		if string(hdlr[8:12]) != "soun" {
			return false
		}
		sound++
	}
	return sound > 0
}

var ebmlMagic = []byte{0x1A, 0x45, 0xDF, 0xA3}

// EBML element ids (Matroska / WebM), with their length markers, as they appear in files.
const (
	ebmlHeaderID = 0x1A45DFA3
	ebmlDocType  = 0x4282
	mkvSegment   = 0x18538067
	mkvTracks    = 0x1654AE6B
	mkvTrack     = 0xAE
	mkvTrackType = 0x83
	mkvCluster   = 0x1F43B675
)

// sniffWebM accepts a WebM file whose tracks are all audio, as a browser's recorder writes it.
func sniffWebM(b []byte) (Type, error) {
	r := ebmlReader{b: b}
	id, header, ok := r.next()
	if !ok || id != ebmlHeaderID {
		return Type{}, ErrUnsupported
	}
	doc := ebmlReader{b: header}
	docType := ""
	for {
		id, v, ok := doc.next()
		if !ok {
			break
		}
		if id == ebmlDocType {
			docType = string(bytes.TrimRight(v, "\x00"))
		}
	}
	if docType != "webm" {
		return Type{}, ErrUnsupported
	}
	id, segment, ok := r.next()
	if !ok || id != mkvSegment {
		return Type{}, ErrUnsupported
	}
	seg := ebmlReader{b: segment}
	for {
		id, v, ok := seg.next()
		if !ok || id == mkvCluster {
			// The tracks come before the first cluster; no tracks, no way to know what this is.
			return Type{}, ErrUnsupported
		}
		if id != mkvTracks {
			continue
		}
		tracks := ebmlReader{b: v}
		audio := 0
		for {
			id, entry, ok := tracks.next()
			if !ok {
				break
			}
			if id != mkvTrack {
				continue
			}
			fields := ebmlReader{b: entry}
			kind := -1
			for {
				id, f, ok := fields.next()
				if !ok {
					break
				}
				if id == mkvTrackType && len(f) == 1 {
					kind = int(f[0])
				}
			}
			if kind != 2 { // 2 is audio; video (1), subtitles and the rest are refused
				return Type{}, ErrUnsupported
			}
			audio++
		}
		if audio == 0 {
			return Type{}, ErrUnsupported
		}
		return WebMAudio, nil
	}
}

// ebmlReader walks the elements at one level of an EBML document.
type ebmlReader struct {
	b   []byte
	off int
}

// next returns the next element's id and body. An element of unknown size (allowed for a segment
// being written live) runs to the end of its parent.
func (r *ebmlReader) next() (id uint64, body []byte, ok bool) {
	id, n, ok := vint(r.b[r.off:], true)
	if !ok {
		return 0, nil, false
	}
	r.off += n
	size, n, ok := vint(r.b[r.off:], false)
	if !ok {
		return 0, nil, false
	}
	r.off += n
	end := len(r.b)
	if size != unknownSize(n) {
		if size > uint64(len(r.b)-r.off) {
			// A truncated element: keep what is there, which is enough to sniff the start of a file.
			size = uint64(len(r.b) - r.off)
		}
		end = r.off + int(size)
	}
	body = r.b[r.off:end]
	r.off = end
	return id, body, true
}

// vint reads an EBML variable-length integer; ids keep their length marker, sizes do not.
func vint(b []byte, keepMarker bool) (v uint64, n int, ok bool) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0, false
	}
	n = 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 || len(b) < n || keepMarker && n > 4 {
		return 0, 0, false
	}
	v = uint64(b[0])
	if !keepMarker {
		v &= uint64(0xFF >> n)
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n, true
}

// unknownSize is the value of an n-byte size with every bit set, which EBML reserves for "unknown".
func unknownSize(n int) uint64 { return 1<<(7*n) - 1 }

// MPEG audio tables: kbit/s per bitrate index, and Hz per sample-rate index.
var (
	mpeg1Bitrates = [3][16]int{
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0}, // layer I
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},    // layer II
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},     // layer III
	}
	mpeg2Bitrates = [3][16]int{
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
	}
	sampleRates = map[byte][3]int{3: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 0: {11025, 12000, 8000}}
)

// sniffMPEGAudio accepts MP3 (with or without an ID3v2 tag) and AAC in ADTS frames. Two bytes of frame
// sync are easy to meet by chance, so a file must hold two consecutive valid frames (or one frame that
// fills it).
func sniffMPEGAudio(b []byte) (Type, error) {
	off := 0
	tagged := false
	if len(b) >= 10 && string(b[0:3]) == "ID3" {
		size := int(b[6]&0x7F)<<21 | int(b[7]&0x7F)<<14 | int(b[8]&0x7F)<<7 | int(b[9]&0x7F)
		off = 10 + size
		if b[5]&0x10 != 0 {
			off += 10 // footer
		}
		for off < len(b) && b[off] == 0 {
			off++ // padding some taggers leave after the tag
		}
		tagged = true
	}
	if off+4 > len(b) {
		return Type{}, ErrUnsupported
	}
	if n, ok := adtsFrame(b[off:]); ok && framesFollow(b[off:], n, adtsFrame) {
		return AAC, nil
	}
	if n, ok := mpegFrame(b[off:]); ok && (framesFollow(b[off:], n, mpegFrame) || tagged && n > 0) {
		return MP3, nil
	}
	return Type{}, ErrUnsupported
}

// framesFollow tells whether another valid frame starts where the first one ends, or the first one
// ends the file.
func framesFollow(b []byte, first int, frame func([]byte) (int, bool)) bool {
	if first == len(b) {
		return true
	}
	if first+4 > len(b) {
		return false
	}
	_, ok := frame(b[first:])
	return ok
}

// mpegFrame checks an MPEG audio frame header and returns the frame's length.
func mpegFrame(b []byte) (int, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return 0, false
	}
	version := (b[1] >> 3) & 3 // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
	layer := (b[1] >> 1) & 3   // 3: I, 2: II, 1: III, 0: reserved
	bitrateIndex := b[2] >> 4
	rateIndex := (b[2] >> 2) & 3
	padding := int(b[2]>>1) & 1
	if version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3 {
		return 0, false
	}
	table := mpeg2Bitrates
	if version == 3 {
		table = mpeg1Bitrates
	}
	bitrate := table[3-layer][bitrateIndex] * 1000
	rate := sampleRates[version][rateIndex]
	switch {
	case layer == 3: // layer I
		return (12*bitrate/rate + padding) * 4, true
	case layer == 1 && version != 3: // layer III, MPEG-2 and 2.5
		return 72*bitrate/rate + padding, true
	default:
		return 144*bitrate/rate + padding, true
	}
}

// adtsFrame checks an AAC ADTS header (MPEG frame sync with layer 0) and returns the frame's length.
func adtsFrame(b []byte) (int, bool) {
	if len(b) < 7 || b[0] != 0xFF || b[1]&0xF6 != 0xF0 {
		return 0, false
	}
	if (b[2]>>2)&0x0F > 12 { // sampling frequency index
		return 0, false
	}
	n := int(b[3]&3)<<11 | int(b[4])<<3 | int(b[5]>>5)
	if n < 7 {
		return 0, false
	}
	return n, true
}

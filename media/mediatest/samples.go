// Package mediatest makes sample files for tests: photos that carry a GPS position, and small but
// well-formed recordings, PDFs and things that must be refused. Photos are real files, written once by
// an image encoder and tagged with exiftool (see testdata/README.md); the rest are built here byte by
// byte, following each format's specification.
package mediatest

import (
	"bytes"
	"embed"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
)

// The photos carry these strings in their metadata (GPS area information, XMP city, comments), next to
// a GPS position in Doha, so a test can prove the metadata is gone by looking for them.
const (
	GPSMarker = "GPSMARKER-AL-SADD"
	XMPMarker = "XMPMARKER-DOHA"
)

//go:embed testdata/photo-gps.*
var photos embed.FS

// Photo returns a tagged photo: ext is jpg, png, webp or heic. Its EXIF holds a GPS position, GPSMarker
// and orientation 6 (rotate 90° clockwise); its XMP holds XMPMarker.
func Photo(ext string) []byte {
	b, err := photos.ReadFile("testdata/photo-gps." + ext)
	if err != nil {
		panic(err)
	}
	return b
}

// PhotoExts lists the extensions Photo knows.
func PhotoExts() []string { return []string{"jpg", "png", "webp", "heic"} }

// JPEGWithSplicedGPS encodes a JPEG with image/jpeg and splices in, right after the start marker, a
// little-endian EXIF segment holding orientation 3 and a GPS IFD (latitude 25° 17′ N, plus GPSMarker),
// then appends bytes after the end marker, as some phones do.
func JPEGWithSplicedGPS() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for y := range 24 {
		for x := range 32 {
			img.Set(x, y, color.RGBA{uint8(8 * x), uint8(10 * y), 90, 255})
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8)
	// IFD0 at 8: two entries, Orientation and the GPS IFD pointer.
	gpsIFD := uint32(8 + 2 + 2*12 + 4)
	tiff = le.AppendUint16(tiff, 2)
	tiff = appendEntry(tiff, 0x0112, 3, 1, 3)
	tiff = appendEntry(tiff, 0x8825, 4, 1, gpsIFD)
	tiff = le.AppendUint32(tiff, 0)
	// GPS IFD: latitude ref, latitude (three rationals), area information (the marker).
	data := gpsIFD + 2 + 3*12 + 4
	area := append([]byte("ASCII\x00\x00\x00"), GPSMarker...)
	tiff = le.AppendUint16(tiff, 3)
	tiff = appendEntry(tiff, 0x0001, 2, 2, uint32('N'))
	tiff = appendEntry(tiff, 0x0002, 5, 3, data)
	tiff = appendEntry(tiff, 0x001C, 7, uint32(len(area)), data+24)
	tiff = le.AppendUint32(tiff, 0)
	for _, r := range [][2]uint32{{25, 1}, {17, 1}, {744, 100}} {
		tiff = le.AppendUint32(le.AppendUint32(tiff, r[0]), r[1])
	}
	tiff = append(tiff, area...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	segment := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	segment = append(segment, payload...)
	jpg := enc.Bytes()
	out := append([]byte{}, jpg[:2]...)
	out = append(out, segment...)
	out = append(out, jpg[2:]...)
	return append(out, "trailing data after the image "+GPSMarker...)
}

func appendEntry(b []byte, tag, typ uint16, count, value uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(le.AppendUint16(b, tag), typ)
	return le.AppendUint32(le.AppendUint32(b, count), value)
}

// PDF is a small valid PDF whose page shows text; the text appears uncompressed in the file.
func PDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// PDFOfSize is PDF(text) padded with a PDF comment to exactly size bytes.
func PDFOfSize(text string, size int) []byte {
	b := PDF(text)
	if size < len(b)+2 {
		panic("PDFOfSize: too small")
	}
	pad := bytes.Repeat([]byte{' '}, size-len(b)-2)
	out := append(b, '%')
	out = append(out, pad...)
	return append(out, '\n')
}

// WAV is one tenth of a second of 8 kHz mono 16-bit PCM.
func WAV() []byte {
	le := binary.LittleEndian
	samples := make([]byte, 1600)
	b := []byte("RIFF")
	b = le.AppendUint32(b, uint32(4+8+16+8+len(samples)))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, 8000)
	b = le.AppendUint32(b, 16000)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(len(samples)))
	return append(b, samples...)
}

// MP3 is an ID3v2.4 tag with a title, then three silent MPEG-1 layer III frames (128 kbit/s, 44.1 kHz).
// With tag false, the frames alone.
func MP3(tag bool) []byte {
	var b []byte
	if tag {
		title := append([]byte{3}, "voice note"...) // encoding UTF-8
		frame := append([]byte("TIT2"), syncsafe(len(title))...)
		frame = append(frame, 0, 0)
		frame = append(frame, title...)
		b = append([]byte("ID3\x04\x00\x00"), syncsafe(len(frame))...)
		b = append(b, frame...)
	}
	const frameLen = 144 * 128000 / 44100
	for range 3 {
		f := make([]byte, frameLen)
		copy(f, []byte{0xFF, 0xFB, 0x90, 0x64})
		b = append(b, f...)
	}
	return b
}

func syncsafe(n int) []byte {
	return []byte{byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}
}

// AAC is three ADTS frames (AAC LC, 44.1 kHz, stereo) with empty payloads.
func AAC() []byte {
	var b []byte
	for range 3 {
		const n = 7 + 9
		f := []byte{0xFF, 0xF1, 1<<6 | 4<<2, 2<<6 | n>>11, n >> 3 & 0xFF, n&7<<5 | 0x1F, 0xFC}
		b = append(b, f...)
		b = append(b, make([]byte, n-7)...)
	}
	return b
}

// OggOpus is the first page of an Ogg Opus stream (its identification header), with a correct CRC.
func OggOpus() []byte {
	head := []byte("OpusHead")
	head = append(head, 1, 1) // version, channels
	head = binary.LittleEndian.AppendUint16(head, 312)
	head = binary.LittleEndian.AppendUint32(head, 48000)
	head = append(head, 0, 0, 0) // gain, mapping family
	return oggPage(0x02, head)
}

// OggTheora is the first page of an Ogg Theora video stream.
func OggTheora() []byte { return oggPage(0x02, append([]byte("\x80theora"), make([]byte, 34)...)) }

func oggPage(headerType byte, packet []byte) []byte {
	p := []byte("OggS")
	p = append(p, 0, headerType)
	p = append(p, make([]byte, 8)...) // granule position
	p = binary.LittleEndian.AppendUint32(p, 0x414D414E)
	p = binary.LittleEndian.AppendUint32(p, 0) // page sequence
	p = append(p, 0, 0, 0, 0)                  // CRC, filled below
	p = append(p, 1, byte(len(packet)))
	p = append(p, packet...)
	binary.LittleEndian.PutUint32(p[22:], oggCRC(p))
	return p
}

// oggCRC is Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, initial value 0).
func oggCRC(b []byte) uint32 {
	var crc uint32
	for _, c := range b {
		crc ^= uint32(c) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// WebM is the start of a WebM file as a browser's MediaRecorder writes it: EBML header, a segment of
// unknown size, info, one track (audio Opus when audio, else video VP8), and a first cluster.
func WebM(audio bool) []byte {
	trackType, codec := byte(2), "A_OPUS"
	if !audio {
		trackType, codec = 1, "V_VP8"
	}
	header := ebml(0x1A45DFA3, concat(ebml(0x4286, []byte{1}), ebml(0x4282, []byte("webm")), ebml(0x4287, []byte{4})))
	info := ebml(0x1549A966, ebml(0x2AD7B1, []byte{0x0F, 0x42, 0x40}))
	track := ebml(0xAE, concat(ebml(0xD7, []byte{1}), ebml(0x83, []byte{trackType}), ebml(0x86, []byte(codec))))
	tracks := ebml(0x1654AE6B, track)
	cluster := ebml(0x1F43B675, ebml(0xE7, []byte{0}))
	segment := concat([]byte{0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, info, tracks, cluster)
	return concat(header, segment)
}

// ebml encodes one element with a one-to-four-byte id and an eight-byte size.
func ebml(id uint32, body []byte) []byte {
	var b []byte
	for shift := 24; shift >= 0; shift -= 8 {
		if c := byte(id >> shift); c != 0 || len(b) > 0 {
			b = append(b, c)
		}
	}
	size := binary.BigEndian.AppendUint64(nil, uint64(len(body)))
	size[0] = 0x01
	return concat(b, size, body)
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// MP4 is an ISO media file with the given major brand and one track of handler type handler ("soun"
// for a recording, "vide" for a video). The movie carries a user-data box with a place (©xyz, in
// Doha) and GPSMarker as its title, as phones write them.
func MP4(brand, handler string) []byte {
	ftyp := box("ftyp", concat([]byte(brand), []byte{0, 0, 0, 0}, []byte(brand), []byte("isom")))
	hdlr := box("hdlr", concat(make([]byte, 8), []byte(handler), make([]byte, 12), []byte("Core Media\x00")))
	mdhd := box("mdhd", concat(make([]byte, 12), []byte{0, 0, 0xAC, 0x44}, make([]byte, 8)))
	trak := box("trak", concat(box("tkhd", make([]byte, 84)), box("mdia", concat(mdhd, hdlr, box("minf", nil)))))
	place := concat([]byte{0, 18, 0x15, 0xC7}, []byte("+25.2854+051.5310/"))
	udta := box("udta", concat(box("\xA9xyz", place), box("\xA9nam", []byte(GPSMarker))))
	moov := box("moov", concat(box("mvhd", make([]byte, 100)), trak, udta))
	return concat(ftyp, moov, box("mdat", make([]byte, 64)))
}

func box(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return concat(b, []byte(typ), body)
}

// FLAC is a FLAC stream header with its STREAMINFO block.
func FLAC() []byte {
	info := make([]byte, 34)
	binary.BigEndian.PutUint16(info[0:], 4096)
	binary.BigEndian.PutUint16(info[2:], 4096)
	info[10], info[11], info[12] = 0x0A, 0xC4, 0x40 // 44.1 kHz, mono, 16 bits
	return concat([]byte("fLaC"), []byte{0x80, 0, 0, 34}, info)
}

// AMR is an AMR narrow-band file of three silent frames.
func AMR() []byte {
	b := []byte("#!AMR\n")
	for range 3 {
		b = append(b, 0x44)
		b = append(b, make([]byte, 31)...) // 12.2 kbit/s frames hold 31 bytes
	}
	return b
}

// WindowsExecutable is the start of a PE file: what a program renamed "report.pdf" looks like.
func WindowsExecutable() []byte {
	b := make([]byte, 256)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	copy(b[0x4E:], "This program cannot be run in DOS mode.")
	return b
}

// Package media recognises the files Aman accepts as case documents (photos, audio recordings and
// PDFs) by their bytes, never by their names, and removes what a file says about where it was made.
//
// A photo taken on a phone usually carries the GPS position it was taken at; a photo of a bruise sent
// from a shelter would tell whoever reads the file where the shelter is. [Clean] therefore strips
// embedded metadata from images: everything but what decoding needs (and, for JPEG and PNG, the
// orientation, so a photo still shows the right way up). It works on the container structure only and
// never re-encodes pixels, so nothing is lost in quality and nothing new can go wrong in a codec.
//
// The package is pure: bytes in, bytes out, standard library only.
package media

import (
	"errors"
	"fmt"
)

// Kind is what a document is, for the people who look at it.
type Kind string

const (
	KindImage Kind = "image"
	KindAudio Kind = "audio"
	KindPDF   Kind = "pdf"
)

// Type is a recognised file type.
type Type struct {
	// MIME is the media type served with the file.
	MIME string
	// Ext is the usual file extension, without the dot, for generic download names.
	Ext  string
	Kind Kind
}

// The accepted types.
var (
	JPEG      = Type{"image/jpeg", "jpg", KindImage}
	PNG       = Type{"image/png", "png", KindImage}
	WebP      = Type{"image/webp", "webp", KindImage}
	HEIC      = Type{"image/heic", "heic", KindImage}
	AVIF      = Type{"image/avif", "avif", KindImage}
	PDF       = Type{"application/pdf", "pdf", KindPDF}
	MP3       = Type{"audio/mpeg", "mp3", KindAudio}
	AAC       = Type{"audio/aac", "aac", KindAudio}
	M4A       = Type{"audio/mp4", "m4a", KindAudio}
	ThreeGPP  = Type{"audio/3gpp", "3gp", KindAudio}
	Ogg       = Type{"audio/ogg", "ogg", KindAudio}
	WebMAudio = Type{"audio/webm", "webm", KindAudio}
	WAV       = Type{"audio/wav", "wav", KindAudio}
	FLAC      = Type{"audio/flac", "flac", KindAudio}
	AMR       = Type{"audio/amr", "amr", KindAudio}
)

// Types lists every accepted type.
func Types() []Type {
	return []Type{JPEG, PNG, WebP, HEIC, AVIF, PDF, MP3, AAC, M4A, ThreeGPP, Ogg, WebMAudio, WAV, FLAC, AMR}
}

// ByMIME finds an accepted type by its media type, as stored with a document.
func ByMIME(mime string) (Type, bool) {
	for _, t := range Types() {
		if t.MIME == mime {
			return t, true
		}
	}
	return Type{}, false
}

var (
	// ErrUnsupported means the bytes are none of the accepted types.
	ErrUnsupported = errors.New("media: not an accepted type")
	// ErrMalformed means the bytes start like an accepted type but their structure does not hold, so
	// the metadata in them could not be found with certainty.
	ErrMalformed = errors.New("media: damaged or malformed file")
)

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// Cleaned is a file ready to be stored.
type Cleaned struct {
	Type Type
	// Data is the file without the metadata Clean removes. It never aliases the input.
	Data []byte
	// MetadataRemoved tells that something was removed (or blanked) from the file.
	MetadataRemoved bool
}

// Clean recognises b and strips what it may say about people and places: for images, EXIF (with its
// GPS position), XMP, IPTC, comments and text chunks; for MP4-family audio, the user data and metadata
// boxes, where phones write a recording's place and title. Everything else is returned as it came.
//
// It fails with ErrUnsupported for anything not accepted (an executable renamed .pdf, a video, a
// document), and with ErrMalformed for a file whose structure it cannot follow: it never lets through an
// image it could not clean.
func Clean(b []byte) (Cleaned, error) {
	t, err := Sniff(b)
	if err != nil {
		return Cleaned{}, err
	}
	var out []byte
	switch t {
	case JPEG:
		out, err = cleanJPEG(b)
	case PNG:
		out, err = cleanPNG(b)
	case WebP:
		out, err = cleanWebP(b)
	case HEIC, AVIF:
		out, err = cleanHEIF(b)
	case M4A, ThreeGPP:
		out, err = cleanMP4Audio(b)
	default:
		out = clone(b)
	}
	if err != nil {
		return Cleaned{}, err
	}
	return Cleaned{Type: t, Data: out, MetadataRemoved: !equalBytes(out, b)}, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func equalBytes(a, b []byte) bool { return string(a) == string(b) }

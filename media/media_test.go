package media_test

import (
	"bytes"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"aman.qa/aman/media"
	"aman.qa/aman/media/mediatest"
)

func TestSniffAcceptsByContent(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want media.Type
	}{
		{"jpeg photo", mediatest.Photo("jpg"), media.JPEG},
		{"jpeg from image/jpeg", mediatest.JPEGWithSplicedGPS(), media.JPEG},
		{"png photo", mediatest.Photo("png"), media.PNG},
		{"webp photo", mediatest.Photo("webp"), media.WebP},
		{"heic photo", mediatest.Photo("heic"), media.HEIC},
		{"pdf", mediatest.PDF("hello"), media.PDF},
		{"pdf after a few bytes of junk", append([]byte("\r\n"), mediatest.PDF("hello")...), media.PDF},
		{"mp3 with id3 tag", mediatest.MP3(true), media.MP3},
		{"mp3 frames alone", mediatest.MP3(false), media.MP3},
		{"aac adts", mediatest.AAC(), media.AAC},
		{"m4a voice memo", mediatest.MP4("M4A ", "soun"), media.M4A},
		{"mp4 with only sound", mediatest.MP4("mp42", "soun"), media.M4A},
		{"3gp recording", mediatest.MP4("3gp4", "soun"), media.ThreeGPP},
		{"ogg opus", mediatest.OggOpus(), media.Ogg},
		{"webm audio", mediatest.WebM(true), media.WebMAudio},
		{"wav", mediatest.WAV(), media.WAV},
		{"flac", mediatest.FLAC(), media.FLAC},
		{"amr", mediatest.AMR(), media.AMR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := media.Sniff(tt.data)
			if err != nil || got != tt.want {
				t.Fatalf("Sniff = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestSniffRefusesEverythingElse(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"windows executable", mediatest.WindowsExecutable()},
		{"elf executable", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 57)...)},
		{"zip (and so docx, apk)", append([]byte("PK\x03\x04"), make([]byte, 60)...)},
		{"html", []byte("<!doctype html><script>alert(1)</script>")},
		{"svg, which can carry script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		{"plain text", []byte("just some words about a case")},
		{"mp4 video", mediatest.MP4("isom", "vide")},
		{"m4a brand but a video track", mediatest.MP4("M4A ", "vide")},
		{"webm video", mediatest.WebM(false)},
		{"ogg theora video", mediatest.OggTheora()},
		{"one mpeg frame sync by chance", append([]byte{0xFF, 0xFB, 0x90, 0x64}, bytes.Repeat([]byte("x"), 600)...)},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
		{"riff avi", append([]byte("RIFF\x10\x00\x00\x00AVI LIST"), make([]byte, 8)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := media.Sniff(tt.data); !errors.Is(err, media.ErrUnsupported) {
				t.Fatalf("Sniff = %v, %v; want ErrUnsupported", got, err)
			}
			if _, err := media.Clean(tt.data); !errors.Is(err, media.ErrUnsupported) {
				t.Fatalf("Clean: %v; want ErrUnsupported", err)
			}
		})
	}
}

// The heart of the matter: a photo that says where it was taken no longer does after Clean, and still
// is the same picture.
func TestCleanRemovesLocationFromPhotos(t *testing.T) {
	photos := map[string][]byte{"jpeg built here": mediatest.JPEGWithSplicedGPS()}
	for _, ext := range mediatest.PhotoExts() {
		photos[ext] = mediatest.Photo(ext)
	}
	for name, original := range photos {
		t.Run(name, func(t *testing.T) {
			if !bytes.Contains(original, []byte(mediatest.GPSMarker)) {
				t.Fatal("the sample holds no GPS marker; the test would prove nothing")
			}
			kept := append([]byte(nil), original...)
			got, err := media.Clean(original)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(original, kept) {
				t.Fatal("Clean changed its input")
			}
			if !got.MetadataRemoved || got.Type.Kind != media.KindImage {
				t.Fatalf("type %v, removed %v", got.Type, got.MetadataRemoved)
			}
			for _, marker := range []string{mediatest.GPSMarker, mediatest.XMPMarker, "MARKER", "GPSVersion"} {
				if bytes.Contains(got.Data, []byte(marker)) {
					t.Errorf("the cleaned file still holds %q", marker)
				}
			}
			again, err := media.Clean(got.Data)
			if err != nil || !bytes.Equal(again.Data, got.Data) {
				t.Errorf("cleaning a clean file changed it again (%v)", err)
			}
			switch got.Type {
			case media.JPEG, media.PNG:
				before, _, err := image.Decode(bytes.NewReader(original))
				if err != nil {
					t.Fatal(err)
				}
				after, _, err := image.Decode(bytes.NewReader(got.Data))
				if err != nil {
					t.Fatalf("the cleaned image no longer decodes: %v", err)
				}
				if before.Bounds() != after.Bounds() || !samePixels(before, after) {
					t.Error("the cleaned image shows something else")
				}
			case media.HEIC:
				// No HEIC decoder in Go: the file keeps its length and every changed byte is a blanked
				// one, so every offset in it still holds (heif-convert decodes it, see testdata/README.md).
				if len(got.Data) != len(original) {
					t.Fatalf("length %d, was %d", len(got.Data), len(original))
				}
				for i := range original {
					if got.Data[i] != original[i] && got.Data[i] != 0 {
						t.Fatalf("byte %d changed to %#x, not blanked", i, got.Data[i])
					}
				}
			case media.WebP:
				if !bytes.Contains(got.Data, []byte("VP8")) || bytes.Contains(got.Data, []byte("EXIF")) || bytes.Contains(got.Data, []byte("XMP ")) {
					t.Error("the WebP lost its image or kept its metadata chunks")
				}
			}
		})
	}
}

func samePixels(a, b image.Image) bool {
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func TestCleanBlanksPlaceInRecordings(t *testing.T) {
	for _, brand := range []string{"M4A ", "3gp4"} {
		original := mediatest.MP4(brand, "soun")
		got, err := media.Clean(original)
		if err != nil {
			t.Fatal(err)
		}
		if !got.MetadataRemoved || bytes.Contains(got.Data, []byte("+25.2854")) || bytes.Contains(got.Data, []byte(mediatest.GPSMarker)) {
			t.Errorf("%s: the recording still says where it was made", brand)
		}
		if len(got.Data) != len(original) {
			t.Errorf("%s: length changed, so offsets into the media data would break", brand)
		}
		if again, err := media.Sniff(got.Data); err != nil || again != got.Type {
			t.Errorf("%s: the cleaned recording sniffs as %v, %v", brand, again, err)
		}
	}
}

func TestCleanLeavesOtherFilesAlone(t *testing.T) {
	for _, data := range [][]byte{mediatest.PDF("statement"), mediatest.WAV(), mediatest.MP3(true), mediatest.OggOpus(), mediatest.WebM(true)} {
		got, err := media.Clean(data)
		if err != nil || !bytes.Equal(got.Data, data) || got.MetadataRemoved {
			t.Errorf("%v: changed (%v)", got.Type, err)
		}
		if len(data) > 0 && &got.Data[0] == &data[0] {
			t.Errorf("%v: the result aliases the input", got.Type)
		}
	}
}

func TestCleanRefusesImagesItCannotFollow(t *testing.T) {
	jpg := mediatest.Photo("jpg")
	png := mediatest.Photo("png")
	webp := mediatest.Photo("webp")
	heic := mediatest.Photo("heic")
	tests := []struct {
		name string
		data []byte
	}{
		{"jpeg cut short", jpg[:len(jpg)/2]},
		{"jpeg segment longer than the file", append(append([]byte{}, jpg[:2]...), 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x')},
		{"jpeg without an end marker", jpg[:len(jpg)-2]},
		{"png cut before IEND", png[:len(png)-12]},
		{"png chunk longer than the file", append(append([]byte{}, png[:8]...), 0x7F, 0, 0, 0, 'I', 'H', 'D', 'R')},
		{"webp with a RIFF size past the end", append(append([]byte{}, webp[:4]...), append([]byte{0xFF, 0xFF, 0, 0}, webp[8:]...)...)},
		{"heic cut short", heic[:len(heic)/3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := media.Clean(tt.data); !errors.Is(err, media.ErrMalformed) {
				t.Fatalf("Clean: %v; want ErrMalformed", err)
			}
		})
	}
}

// FuzzClean makes sure no input panics, and that whatever Clean accepts as an image it accepts again.
func FuzzClean(f *testing.F) {
	for _, ext := range mediatest.PhotoExts() {
		f.Add(mediatest.Photo(ext))
	}
	f.Add(mediatest.MP4("M4A ", "soun"))
	f.Add(mediatest.WebM(true))
	f.Add(mediatest.MP3(true))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := media.Clean(data)
		if err != nil {
			return
		}
		if _, err := media.Clean(got.Data); err != nil && got.Type.Kind == media.KindImage {
			t.Fatalf("a cleaned %v does not clean again: %v", got.Type, err)
		}
	})
}

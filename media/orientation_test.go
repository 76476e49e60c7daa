package media

import (
	"bytes"
	"encoding/binary"
	"testing"

	"aman.qa/aman/media/mediatest"
)

// The orientation survives cleaning in a minimal EXIF that holds nothing else, so a portrait photo
// still shows upright.
func TestOrientationIsKeptAlone(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"jpeg tagged by exiftool (big-endian)", mediatest.Photo("jpg"), 6},
		{"jpeg spliced here (little-endian)", mediatest.JPEGWithSplicedGPS(), 3},
		{"png eXIf", mediatest.Photo("png"), 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Clean(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			tiff := exifTIFF(t, got)
			if o := tiffOrientation(tiff); o != tt.want {
				t.Fatalf("orientation %d, want %d", o, tt.want)
			}
			if !bytes.Equal(tiff, minimalTIFF(tt.want)) {
				t.Fatalf("the kept EXIF holds more than the orientation: % x", tiff)
			}
		})
	}
}

// exifTIFF returns the TIFF structure of the single EXIF block in a cleaned JPEG or PNG.
func exifTIFF(t *testing.T, c Cleaned) []byte {
	t.Helper()
	switch c.Type {
	case JPEG:
		i := bytes.Index(c.Data, []byte("Exif\x00\x00"))
		if i < 0 || bytes.Count(c.Data, []byte("Exif\x00\x00")) != 1 {
			t.Fatal("want exactly one EXIF segment")
		}
		n := int(binary.BigEndian.Uint16(c.Data[i-2:]))
		return c.Data[i+6 : i-2+n]
	case PNG:
		i := bytes.Index(c.Data, []byte("eXIf"))
		if i < 4 {
			t.Fatal("no eXIf chunk")
		}
		n := int(binary.BigEndian.Uint32(c.Data[i-4:]))
		return c.Data[i+4 : i+4+n]
	}
	t.Fatalf("no EXIF in %v", c.Type)
	return nil
}

func TestTIFFOrientationRefusesNonsense(t *testing.T) {
	for name, tiff := range map[string][]byte{
		"empty":         nil,
		"bad order":     []byte("XX\x00\x2a\x00\x00\x00\x08"),
		"ifd past end":  []byte("MM\x00\x2a\x00\x00\xff\xff"),
		"value 9":       minimalTIFFWith(9),
		"value 0":       minimalTIFFWith(0),
		"entries cut":   minimalTIFF(6)[:15],
		"not 42":        []byte("MM\x00\x2b\x00\x00\x00\x08\x00\x00"),
		"ifd in header": []byte("MM\x00\x2a\x00\x00\x00\x02\x00\x00"),
	} {
		if o := tiffOrientation(tiff); o != 0 {
			t.Errorf("%s: orientation %d", name, o)
		}
	}
}

func minimalTIFFWith(v int) []byte {
	t := minimalTIFF(1)
	binary.BigEndian.PutUint16(t[18:], uint16(v))
	return t
}

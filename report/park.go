package report

import "strings"

// SamePark reports whether two park names mean the same park: "珞璜" and
// "珞璜园区" (or "珞璜工业园区") do.
func SamePark(a, b string) bool { return parkKey(a) == parkKey(b) }

func parkKey(s string) string {
	s = strings.TrimSpace(s)
	for _, suffix := range []string{"工业园区", "园区", "工业园"} {
		if k, ok := strings.CutSuffix(s, suffix); ok && k != "" {
			return k
		}
	}
	return s
}

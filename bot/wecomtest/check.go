package wecomtest

import "math"

// JSONType names the JSON type of v as encoding/json decodes it into an
// any: "string", "number", "integer" (a number without a fraction),
// "object", "array", "bool", "null".
func JSONType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case bool:
		return "bool"
	}
	return "null"
}

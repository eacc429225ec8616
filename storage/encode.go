package storage

import (
	"encoding/json"
	"fmt"

	"zsbot"
)

// encode returns the stored JSON of r, or nil for a nil record.
func encode(r zsbot.Record) []byte {
	if r == nil || isNilRecord(r) {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("storage: encode %T: %v", r, err)) // records are plain data
	}
	return b
}

func isNilRecord(r zsbot.Record) bool {
	switch v := r.(type) {
	case *zsbot.Project:
		return v == nil
	case *zsbot.Company:
		return v == nil
	case *zsbot.Activity:
		return v == nil
	case *zsbot.Payment:
		return v == nil
	case *zsbot.Increase:
		return v == nil
	case *zsbot.Task:
		return v == nil
	case *zsbot.Item:
		return v == nil
	case *zsbot.Target:
		return v == nil
	case *zsbot.Person:
		return v == nil
	case *zsbot.Group:
		return v == nil
	}
	return false
}

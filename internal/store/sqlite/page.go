package sqlite

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/batonrun/baton/internal/store"
)

const (
	// defaultPageSize applies when Page.MaxResults is 0 (or negative).
	defaultPageSize = 100
)

// pageSize returns the number of items to return for p.
func pageSize(p store.Page) int {
	if p.MaxResults <= 0 {
		return defaultPageSize
	}
	return p.MaxResults
}

// Page tokens are keyset cursors: the sort key of the last item returned,
// prefixed by the listing's kind, as a JSON array in unpadded base64url,
// for example ["sm","orders","arn:aws:states:…:stateMachine:orders"]. A
// token resumes after that key, so it stays valid while items are added or
// removed, and never skips or repeats an item that stays.

// encodeToken returns the token for a listing of kind resuming after key.
func encodeToken(kind string, key ...any) string {
	b, err := json.Marshal(append([]any{kind}, key...))
	if err != nil {
		panic(fmt.Sprintf("encode page token: %v", err)) // keys are strings and integers
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken decodes a token of the listing kind into key's pointers.
func decodeToken(token, kind string, key ...any) error {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
	}
	var k string
	if len(parts) != 1+len(key) || json.Unmarshal(parts[0], &k) != nil || k != kind {
		return fmt.Errorf("%w: not a %s token", store.ErrInvalidToken, kind)
	}
	for i, p := range key {
		if err := json.Unmarshal(parts[1+i], p); err != nil {
			return fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
		}
	}
	return nil
}

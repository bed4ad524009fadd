/// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. A test checks that every
/// documented operation is routed and every /api/v1 route is documented.
enum OpenAPI {
    static let document = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Hiroba API",
            "version": "1.0.0",
            "description": "広場（Hiroba）の REST API。認証は `Authorization: Bearer hbt_…`（API トークン）またはブラウザのセッション（更新系は X-CSRF-Token ヘッダーが必要）。エラーは {\"error\": {\"code\", \"message\", \"fix\"}}。"
          },
          "servers": [{"url": "/"}],
          "components": {
            "securitySchemes": {
              "token": {"type": "http", "scheme": "bearer", "description": "hiroba users token で発行する API トークン"},
              "session": {"type": "apiKey", "in": "cookie", "name": "hiroba_session"}
            },
            "schemas": {
              "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message", "fix"],
                  "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "fix": {"type": "string"}}}}
              },
              "Hit": {
                "type": "object",
                "required": ["chunk_id", "document_id", "collection", "title", "citation", "locator", "snippet", "score"],
                "properties": {
                  "chunk_id": {"type": "integer"}, "document_id": {"type": "integer"}, "collection": {"type": "string"},
                  "title": {"type": "string"}, "citation": {"type": "string", "description": "例: みなと市財務規則 第三十条第二項"},
                  "locator": {"type": "string"}, "snippet": {"type": "string", "description": "HTML エスケープ済み、一致箇所は <mark>"},
                  "score": {"type": "number"}
                }
              },
              "SearchResult": {
                "type": "object", "required": ["query", "total", "total_is_exact", "hits", "elapsed_ms"],
                "properties": {
                  "query": {"type": "string"}, "total": {"type": "integer"}, "total_is_exact": {"type": "boolean"},
                  "elapsed_ms": {"type": "number"}, "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}}
                }
              }
            },
            "responses": {
              "BadRequest": {"description": "不正な要求", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unauthorized": {"description": "未認証", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotFound": {"description": "見つからない（閲覧権限のないものを含む）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          },
          "security": [{"token": []}, {"session": []}, {}],
          "paths": {
            "/api/v1/openapi.json": {
              "get": {"operationId": "openapi", "summary": "この API 記述", "security": [{}],
                "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {}}}}}
            },
            "/api/v1/me": {
              "get": {"operationId": "me", "summary": "ログイン中の利用者",
                "responses": {"200": {"description": "利用者", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}}}
            },
            "/api/v1/collections": {
              "get": {"operationId": "listCollections", "summary": "閲覧できるコレクション（未認証なら一般公開のもの）",
                "responses": {"200": {"description": "コレクション一覧", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"collections": {"type": "array", "items": {"type": "object",
                    "properties": {"name": {"type": "string"}, "documents": {"type": "integer"}}}}}}}}}}}
            },
            "/api/v1/search": {
              "get": {"operationId": "search", "summary": "文書検索（閲覧権限の範囲内で順位付け）",
                "parameters": [
                  {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 1000}},
                  {"name": "collection", "in": "query", "required": false, "schema": {"type": "array", "items": {"type": "string"}}, "explode": true},
                  {"name": "k", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}
                ],
                "responses": {"200": {"description": "検索結果", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}}},
              "post": {"operationId": "searchPost", "summary": "文書検索（JSON 本文）",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["query"],
                  "properties": {"query": {"type": "string", "maxLength": 1000}, "collections": {"type": "array", "items": {"type": "string"}},
                    "k": {"type": "integer", "minimum": 1, "maximum": 100}}}}}},
                "responses": {"200": {"description": "検索結果", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "415": {"description": "JSON 以外の本文", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            }
          }
        }
        """#
}

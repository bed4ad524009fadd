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
              "Answer": {"type": "object", "required": ["question", "mode", "answer", "answered", "cited", "sources"], "properties": {
                "question": {"type": "string"}, "mode": {"type": "string", "enum": ["model", "extract"]},
                "answer": {"type": "string", "description": "本文（[n] は sources の number）"}, "answered": {"type": "boolean", "description": "資料に答えがなかったら false"},
                "cited": {"type": "array", "items": {"type": "integer"}}, "model": {"type": "string"},
                "usage": {"type": "object", "properties": {"promptTokens": {"type": "integer"}, "completionTokens": {"type": "integer"}, "reported": {"type": "boolean"}}},
                "cost_yen": {"type": "number"}, "notices": {"type": "array", "items": {"type": "string"}},
                "sources": {"type": "array", "items": {"type": "object", "properties": {"number": {"type": "integer"}, "chunk_id": {"type": "integer"},
                  "document_id": {"type": "integer"}, "collection": {"type": "string"}, "title": {"type": "string"}, "locator": {"type": "string"},
                  "citation": {"type": "string"}, "url": {"type": "string"}}}}}},
              "ListeningProject": {"type": "object", "required": ["id", "title", "owner", "status", "progress", "published", "visibility"], "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "owner": {"type": "string"}, "file_name": {"type": "string"},
                "input_sha256": {"type": "string"}, "input_bytes": {"type": "integer"},
                "status": {"type": "string", "enum": ["uploaded", "queued", "running", "done", "failed"]}, "status_label": {"type": "string"},
                "progress": {"type": "object", "properties": {"stage": {"type": ["string", "null"]}, "done": {"type": "integer"}, "total": {"type": "integer"}}},
                "error": {"type": "string"}, "settings": {"type": "object"}, "summary": {"type": "object"},
                "visibility": {"type": "string"}, "published": {"type": "boolean"}, "published_at": {"type": "string"},
                "can_edit": {"type": "boolean"}, "report_url": {"type": "string"}, "created_by": {"type": "string"},
                "created_at": {"type": "string"}, "updated_at": {"type": "string"},
                "columns": {"type": "object", "description": "列の候補（作成直後と、編集できる人が列確認待ち・失敗のときだけ）"}}},
              "ListeningCluster": {"type": "object", "properties": {
                "id": {"type": "string"}, "level": {"type": "integer"}, "parent": {"type": ["string", "null"]}, "children": {"type": "array", "items": {"type": "string"}},
                "label": {"type": "string"}, "summary": {"type": "string"}, "keywords": {"type": "array", "items": {"type": "string"}},
                "opinions": {"type": "integer"}, "comments": {"type": "integer"}, "weighted_comments": {"type": "integer"}, "share": {"type": "number"},
                "edited": {"type": "boolean"}}},
              "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message", "fix"],
                  "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "fix": {"type": "string"}}}}
              },
              "ProofreadResult": {
                "type": "object", "required": ["text", "fixed_text", "characters", "sentences", "findings", "counts", "rules", "warnings"],
                "properties": {
                  "text": {"type": "string", "description": "校正した文章（ファイルの場合は抽出した本文）"},
                  "fixed_text": {"type": "string", "description": "確実な修正をすべて適用した文章"},
                  "rewrites": {"type": "object", "description": "rewrite を指定したときだけ: 生成AIの書き換え案（指摘とは別）",
                    "properties": {"model": {"type": ["string", "null"]}, "failed": {"type": "integer"},
                      "suggestions": {"type": "array", "items": {"type": "object", "properties": {
                        "start": {"type": "object"}, "end": {"type": "object"}, "original": {"type": "string"},
                        "suggestion": {"type": "string"}, "reasons": {"type": "array", "items": {"type": "string"}}}}}}},
                  "characters": {"type": "integer"}, "sentences": {"type": "integer"},
                  "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                  "rules": {"type": "object", "additionalProperties": {"type": "string"}, "description": "ルール ID → 名称"},
                  "warnings": {"type": "array", "items": {"type": "string"}}, "source": {"type": "string"},
                  "findings": {"type": "array", "items": {"type": "object",
                    "required": ["rule", "category", "severity", "message", "line", "column", "offset_utf16", "length_utf16", "offset_scalar", "length_scalar", "text", "replacement"],
                    "properties": {
                      "rule": {"type": "string"}, "category": {"type": "string"}, "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                      "message": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer", "description": "1 始まり、UTF-16 単位"},
                      "end_line": {"type": "integer"}, "end_column": {"type": "integer"},
                      "offset_utf16": {"type": "integer"}, "length_utf16": {"type": "integer"},
                      "offset_scalar": {"type": "integer"}, "length_scalar": {"type": "integer"},
                      "text": {"type": "string"}, "replacement": {"type": ["string", "null"], "description": "確実な修正案（なければ null）"}}}}
                }
              },
              "Hit": {
                "type": "object",
                "required": ["chunk_id", "document_id", "collection", "title", "citation", "locator", "snippet", "score"],
                "properties": {
                  "chunk_id": {"type": "integer"}, "document_id": {"type": "integer"}, "collection": {"type": "string"},
                  "title": {"type": "string"}, "citation": {"type": "string", "description": "例: みなと市財務規則 第三十条第二項"},
                  "locator": {"type": "string"}, "snippet": {"type": "string", "description": "HTML エスケープ済み、一致箇所は <mark>"},
                  "score": {"type": "number"}, "url": {"type": "string", "description": "引用箇所を開く文書画面の URL"}
                }
              },
              "Document": {
                "type": "object", "required": ["document_id", "title", "source", "collection", "media_type", "bytes", "updated_at", "visibility"],
                "properties": {
                  "document_id": {"type": "integer"}, "title": {"type": "string"}, "source": {"type": "string"},
                  "collection": {"type": "string"}, "media_type": {"type": "string"}, "bytes": {"type": "integer"},
                  "updated_at": {"type": "string", "format": "date-time"},
                  "visibility": {"type": ["string", "null"], "enum": ["section", "bureau", "organization", null],
                    "description": "null: コレクションと同じ。値があれば所管課・局・団体に限定"},
                  "chunks": {"type": "array", "items": {"type": "object", "properties": {"chunk_id": {"type": "integer"},
                    "ordinal": {"type": "integer"}, "heading_path": {"type": "array", "items": {"type": "string"}},
                    "locator": {"type": "string"}, "text": {"type": "string"}}}}
                }
              },
              "CollectionAccess": {
                "type": "object", "required": ["name", "visibility", "owner", "grants"],
                "properties": {
                  "name": {"type": "string"}, "visibility": {"type": "string", "enum": ["section", "bureau", "organization", "all", "public"]},
                  "owner": {"type": ["string", "null"]}, "owner_path": {"type": ["string", "null"], "description": "団体/局/課"},
                  "grants": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string",
                    "enum": ["organization", "bureau", "section", "user"]}, "grantee_id": {"type": "integer"}, "label": {"type": "string"}}}}
                }
              },
              "AuditEntry": {
                "type": "object",
                "properties": {"seq": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"}, "action": {"type": "string"},
                  "target": {"type": "string"}, "collection": {"type": ["string", "null"]}, "documents": {"type": ["string", "null"]},
                  "detail": {"type": ["string", "null"]}, "address": {"type": ["string", "null"]}, "hash": {"type": "string"}}
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
              "NotFound": {"description": "見つからない（閲覧権限のないものを含む）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Forbidden": {"description": "権限がない", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Collection": {"description": "コレクションの公開範囲と付与", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CollectionAccess"}}}}
            },
            "parameters": {
              "documentId": {"name": "id", "in": "path", "required": true, "description": "文書 ID（数字のみ）", "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}},
              "listeningId": {"name": "id", "in": "path", "required": true, "description": "広聴プロジェクト ID", "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}},
              "collectionName": {"name": "name", "in": "path", "required": true, "description": "コレクション名（URL エンコード）", "schema": {"type": "string"}},
              "csrf": {"name": "X-CSRF-Token", "in": "header", "required": false, "description": "ブラウザのセッションで更新する場合に必須", "schema": {"type": "string"}}
            }
          },
          "security": [{"token": []}, {"session": []}, {}],
          "paths": {
            "/api/v1/openapi.json": {
              "get": {"operationId": "openapi", "summary": "この API 記述", "security": [{}],
                "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {}}}}}
            },
            "/api/v1/listening": {
              "get": {"operationId": "listListening", "summary": "閲覧できる広聴プロジェクト（匿名は一般公開のみ）", "security": [{"token": []}, {"session": []}, {}],
                "responses": {"200": {"description": "一覧", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"projects": {"type": "array", "items": {"$ref": "#/components/schemas/ListeningProject"}}}}}}}}},
              "post": {"operationId": "createListening", "summary": "意見ファイル（CSV・TSV・XLSX）をアップロードして広聴プロジェクトを作成（所管は投稿者の課）",
                "parameters": [{"name": "filename", "in": "query", "required": true, "schema": {"type": "string"}},
                  {"name": "title", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 100}}, {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {"201": {"description": "作成した（columns に列の候補）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListeningProject"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "413": {"description": "ファイルが大きすぎる", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "415": {"description": "CSV・TSV・XLSX 以外", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "422": {"description": "表として読めない", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/listening/{id}": {
              "get": {"operationId": "getListening", "summary": "広聴プロジェクトの状態と進み具合", "parameters": [{"$ref": "#/components/parameters/listeningId"}],
                "responses": {"200": {"description": "プロジェクト", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListeningProject"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}}},
              "delete": {"operationId": "deleteListening", "summary": "広聴プロジェクトと結果を削除（所管課・局管理者）",
                "parameters": [{"$ref": "#/components/parameters/listeningId"}, {"$ref": "#/components/parameters/csrf"}],
                "responses": {"200": {"description": "削除した", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"description": "分析中", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/listening/{id}/run": {
              "post": {"operationId": "runListening", "summary": "列を確定して分析を開始（バックグラウンド。進み具合は GET で）",
                "parameters": [{"$ref": "#/components/parameters/listeningId"}, {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["comment_column"], "properties": {
                  "comment_column": {"type": "string"}, "attribute_columns": {"type": "array", "items": {"type": "string"}},
                  "seed": {"type": "integer", "minimum": 0}, "clusters": {"type": "array", "items": {"type": "integer", "minimum": 2}, "description": "大分類, 小分類の数（省略で自動）"},
                  "use_model": {"type": "boolean", "description": "局のポリシーが許す既定のチャットモデルで抽出・命名する"}}}}}},
                "responses": {"202": {"description": "受け付けた", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListeningProject"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"}, "409": {"description": "分析中", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/listening/{id}/clusters": {
              "get": {"operationId": "listListeningClusters", "summary": "分類（編集を反映）と編集の履歴", "parameters": [{"$ref": "#/components/parameters/listeningId"}],
                "responses": {"200": {"description": "分類", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "overview": {"type": "string"}, "levels": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
                  "clusters": {"type": "array", "items": {"$ref": "#/components/schemas/ListeningCluster"}}, "edits": {"type": "array", "items": {"type": "object"}}}}}}},
                  "404": {"$ref": "#/components/responses/NotFound"}, "409": {"description": "分析が未完了", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/listening/{id}/clusters/{cluster}": {
              "put": {"operationId": "editListeningCluster", "summary": "分類名・要約を編集（履歴と監査ログに残る）",
                "parameters": [{"$ref": "#/components/parameters/listeningId"}, {"name": "cluster", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["label"], "properties": {
                  "label": {"type": "string", "maxLength": 100}, "summary": {"type": "string", "maxLength": 2000}}}}}},
                "responses": {"200": {"description": "編集後の分類", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListeningCluster"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/listening/{id}/publication": {
              "put": {"operationId": "publishListening", "summary": "公開範囲を設定して公開（null で非公開に戻す。全団体・一般公開は局管理者）",
                "parameters": [{"$ref": "#/components/parameters/listeningId"}, {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "visibility": {"type": ["string", "null"], "enum": ["section", "bureau", "organization", "all", "public", null]}}}}}},
                "responses": {"200": {"description": "プロジェクト", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListeningProject"}}}},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/listening/{id}/files/{name}": {
              "get": {"operationId": "getListeningFile", "summary": "出力（編集を反映）: report.html, result.json, opinions.csv, opinions.xlsx",
                "parameters": [{"$ref": "#/components/parameters/listeningId"},
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string", "enum": ["report.html", "result.json", "opinions.csv", "opinions.xlsx"]}}],
                "responses": {"200": {"description": "ファイル"}, "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"description": "分析が未完了", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
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
            },
            "/api/v1/documents/{id}": {
              "get": {"operationId": "getDocument", "summary": "文書と全区分（引用箇所の表示用）", "parameters": [{"$ref": "#/components/parameters/documentId"}],
                "responses": {"200": {"description": "文書", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}}},
              "delete": {"operationId": "deleteDocument", "summary": "文書を削除（所管課の職員・管理者）",
                "parameters": [{"$ref": "#/components/parameters/documentId"}, {"$ref": "#/components/parameters/csrf"}],
                "responses": {"200": {"description": "削除した", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/documents/{id}/visibility": {
              "put": {"operationId": "setDocumentVisibility", "summary": "文書の公開範囲をコレクションより狭める（管理者）",
                "parameters": [{"$ref": "#/components/parameters/documentId"}, {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"visibility": {"type": ["string", "null"], "enum": ["section", "bureau", "organization", null]}}}}}},
                "responses": {"200": {"description": "文書", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/collections/{name}/documents": {
              "get": {"operationId": "listDocuments", "summary": "コレクションの文書（閲覧できるもの）", "parameters": [{"$ref": "#/components/parameters/collectionName"}],
                "responses": {"200": {"description": "文書一覧", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "collection": {"type": "string"}, "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}}}}}}},
                  "404": {"$ref": "#/components/responses/NotFound"}}},
              "post": {"operationId": "uploadDocument", "summary": "文書をアップロード（本文はファイルそのもの、64 MB まで）",
                "parameters": [{"$ref": "#/components/parameters/collectionName"}, {"$ref": "#/components/parameters/csrf"},
                  {"name": "filename", "in": "query", "required": true, "description": "拡張子で形式を判定（pdf, docx, xlsx, pptx, html, md, txt, csv, tsv）", "schema": {"type": "string", "maxLength": 200}}],
                "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {
                  "201": {"description": "登録した", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "200": {"description": "置き換えた（updated）または同一内容（unchanged）", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"description": "大きすぎる", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "415": {"description": "未対応の形式", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "422": {"description": "読み取れないファイル（破損・暗号化・文字化けなど）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/admin/collections": {
              "get": {"operationId": "adminListCollections", "summary": "管理できるコレクション（基盤管理者は全部、局管理者は自局のもの）",
                "responses": {"200": {"description": "一覧", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "collections": {"type": "array", "items": {"$ref": "#/components/schemas/CollectionAccess"}}}}}}},
                  "403": {"$ref": "#/components/responses/Forbidden"}}},
              "post": {"operationId": "adminCreateCollection", "summary": "コレクションを作成", "parameters": [{"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {
                  "name": {"type": "string"}, "owner": {"type": "string", "description": "団体/局/課（省略時は自分の課）"},
                  "visibility": {"type": "string", "enum": ["section", "bureau", "organization", "all", "public"], "default": "section"}}}}}},
                "responses": {"201": {"$ref": "#/components/responses/Collection"}, "400": {"$ref": "#/components/responses/BadRequest"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "409": {"description": "同名のコレクションがある", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/admin/collections/{name}/access": {
              "put": {"operationId": "adminSetAccess", "summary": "公開範囲と所管課を変更",
                "parameters": [{"$ref": "#/components/parameters/collectionName"}, {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["visibility"], "properties": {
                  "visibility": {"type": "string", "enum": ["section", "bureau", "organization", "all", "public"]}, "owner": {"type": "string"}}}}}},
                "responses": {"200": {"$ref": "#/components/responses/Collection"}, "400": {"$ref": "#/components/responses/BadRequest"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/admin/collections/{name}/grants": {
              "post": {"operationId": "adminGrant", "summary": "閲覧を個別に許可",
                "parameters": [{"$ref": "#/components/parameters/collectionName"}, {"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["grantee"], "properties": {
                  "grantee": {"type": "string", "description": "団体、団体/局、団体/局/課、または user:ログインID"}}}}}},
                "responses": {"201": {"$ref": "#/components/responses/Collection"}, "400": {"$ref": "#/components/responses/BadRequest"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/admin/collections/{name}/grants/{kind}/{id}": {
              "delete": {"operationId": "adminRevoke", "summary": "個別の許可を取り消す",
                "parameters": [{"$ref": "#/components/parameters/collectionName"}, {"$ref": "#/components/parameters/csrf"},
                  {"name": "kind", "in": "path", "required": true, "schema": {"type": "string", "enum": ["organization", "bureau", "section", "user"]}},
                  {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"$ref": "#/components/responses/Collection"}, "400": {"$ref": "#/components/responses/BadRequest"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/v1/audit": {
              "get": {"operationId": "auditSearch", "summary": "監査ログの検索（監査担当・基盤管理者、新しい順）",
                "parameters": [
                  {"name": "from", "in": "query", "schema": {"type": "string", "description": "YYYY-MM-DD または ISO 8601"}},
                  {"name": "to", "in": "query", "schema": {"type": "string"}},
                  {"name": "actor", "in": "query", "schema": {"type": "string"}},
                  {"name": "action", "in": "query", "schema": {"type": "string", "description": "前方一致"}},
                  {"name": "q", "in": "query", "schema": {"type": "string", "description": "対象・詳細・コレクションの部分一致"}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 200}}],
                "responses": {"200": {"description": "記録", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "entries": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}}}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/api/v1/audit/verify": {
              "get": {"operationId": "auditVerify", "summary": "監査ログのハッシュ連鎖を検証",
                "responses": {"200": {"description": "検証結果", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "ok": {"type": "boolean"}, "checked": {"type": "integer"}, "first_broken": {"type": ["integer", "null"]},
                  "problems": {"type": "array", "items": {"type": "object"}}}}}}},
                  "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/api/v1/proofread": {
              "post": {"operationId": "proofread", "summary": "文章を校正（公用文・文法・表記の規則。団体の設定と用字用語リストを適用）",
                "parameters": [{"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"],
                  "properties": {"text": {"type": "string", "description": "校正する文章（200 万文字まで）"},
                    "rewrite": {"type": "boolean", "description": "生成AIに長い文の書き換え案も出させる（指摘とは別に rewrites で返す）"},
                    "model": {"type": "string"}}}}}},
                "responses": {
                  "200": {"description": "指摘と修正案", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProofreadResult"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "413": {"description": "長すぎる", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "415": {"description": "JSON ではない", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/proofread/file": {
              "post": {"operationId": "proofreadFile", "summary": "ファイルを校正（本文はファイルそのもの: txt, md, docx, pdf など。変更履歴は反映後の本文を校正）",
                "parameters": [{"$ref": "#/components/parameters/csrf"},
                  {"name": "filename", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 200}},
                  {"name": "rewrite", "in": "query", "schema": {"type": "string", "enum": ["1", "true"]}, "description": "生成AIの書き換え案も出す"}],
                "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {
                  "200": {"description": "指摘と修正案", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProofreadResult"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "413": {"description": "大きすぎる", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "415": {"description": "未対応の形式", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "422": {"description": "読み取れないファイル", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/ask": {
              "post": {"operationId": "ask", "summary": "資料に基づいて質問に答える（出典番号 [1][2] 付き。モデル未設定なら抜粋で回答）",
                "description": "検索は呼び出し元の閲覧範囲の中だけで行う。stream が true（または Accept: text/event-stream）なら server-sent events で sources, started, notice, delta, done, error の順に送る。拒否（クォータ超過・個人情報・利用できないモデル）は送信開始前に JSON のエラーで返す。",
                "parameters": [{"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["question"],
                  "properties": {"question": {"type": "string", "maxLength": 2000}, "collections": {"type": "array", "items": {"type": "string"}},
                    "k": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}, "model": {"type": "string"},
                    "extract": {"type": "boolean", "description": "モデルがあっても抜粋で回答"}, "stream": {"type": "boolean"}}}}}},
                "responses": {
                  "200": {"description": "回答（JSON）またはイベントストリーム", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Answer"}},
                    "text/event-stream": {"schema": {"type": "string"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "422": {"description": "個人情報を含むため外部モデルに送れない", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "429": {"description": "トークン上限に達している", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "502": {"description": "モデル提供元のエラー", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/answers/feedback": {
              "post": {"operationId": "rateAnswer", "summary": "回答を評価（👍/👎 と理由。局の管理者が確認）",
                "parameters": [{"$ref": "#/components/parameters/csrf"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                  "required": ["question", "answer", "mode", "rating"],
                  "properties": {"question": {"type": "string"}, "answer": {"type": "string"}, "mode": {"type": "string", "enum": ["model", "extract"]},
                    "model": {"type": "string"}, "sources": {"type": "array", "items": {"type": "integer"}},
                    "rating": {"type": "integer", "enum": [1, -1]}, "reason": {"type": "string", "maxLength": 1000}}}}}},
                "responses": {
                  "201": {"description": "保存した", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "rating": {"type": "integer"}}}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}}},
              "get": {"operationId": "answerFeedback", "summary": "回答の評価一覧（局の管理者は自局、基盤管理者・監査担当は全体）",
                "responses": {"200": {"description": "評価", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "feedback": {"type": "array", "items": {"type": "object"}}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/api/v1/usage": {
              "get": {"operationId": "modelUsage", "summary": "生成AIの利用量（局・利用者・モデル別のトークン数・費用・応答時間）",
                "parameters": [
                  {"name": "by", "in": "query", "schema": {"type": "string", "enum": ["bureau", "user", "model"], "default": "bureau"}},
                  {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                  {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}}],
                "responses": {"200": {"description": "集計", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "by": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"},
                  "rows": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "calls": {"type": "integer"},
                    "failed": {"type": "integer"}, "promptTokens": {"type": "integer"}, "completionTokens": {"type": "integer"},
                    "cost": {"type": "number"}, "averageMilliseconds": {"type": "number"}}}}}}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"}}}
            }
          }
        }
        """#
}

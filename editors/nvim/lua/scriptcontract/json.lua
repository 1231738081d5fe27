-- JSON helpers that keep objects objects: Lua cannot tell an empty object from an empty list.
local M = {}

--- Encodes a decoded inputs object back to JSON; an empty table is `{}`, not `[]`.
---@param value table
---@return string
function M.encode_object(value)
  if type(value) ~= "table" or next(value) == nil then
    return "{}"
  end
  return vim.json.encode(value)
end

--- The inputs a user typed, or nil and why they are not a JSON object.
---@param text string
---@return table|nil inputs, string|nil problem
function M.parse_object(text)
  if vim.trim(text) == "" then
    return nil, "type a JSON object, for example {} for no inputs"
  end
  local ok, value = pcall(vim.json.decode, text)
  if not ok then
    return nil, "not valid JSON: " .. tostring(value):gsub("^.-:%d+: ", "")
  end
  if type(value) ~= "table" or (next(value) ~= nil and vim.islist(value)) then
    local kind = value == vim.NIL and "null" or (type(value) == "table" and "an array" or "a " .. type(value))
    return nil, "the inputs must be a JSON object ({...}), not " .. kind
  end
  if next(value) == nil then
    -- `[]` decodes to an empty table too; only `{...}` is an object.
    if not vim.trim(text):match("^{") then
      return nil, "the inputs must be a JSON object ({...}), not an array"
    end
    return vim.empty_dict(), nil
  end
  return value, nil
end

return M
